"""Step 7, risk and continuity: the risk register, a volume surge and a site outage with
their backup options, staffed with Erlang A (``calc``; ``surge``; ``views``; ``charts``)."""
