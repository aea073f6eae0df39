"""The notebooks as deliverables: reports, their cover and charts, the Voilà app, batches.

Report runs (papermill) and their HTML (nbconvert), the cover, chart images, the Voila
app and scheduled batches. The only importer of papermill and nbconvert; no calculation
here.
"""
