"""Step 0, the client profile: contact volumes, peaks, channel mix and what the in-house
centre costs today (``calc``)."""
