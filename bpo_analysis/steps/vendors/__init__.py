"""Step 2, vendor evaluation: knock-outs, weighted scoring (weighted sum, TOPSIS, AHP) and
the stability of the ranking (``scoring``: the methods; ``evaluation``: the step run on a
client; ``views``: headline and tables)."""
