"""Reading finished traces: step outcomes and differences, the scoreboard, what a token says."""
