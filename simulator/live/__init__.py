"""Live mode's Qt-free half: a real loopback HTTP server answering with the simulator's
own rules, the plan of what a real browser does for each lesson step, the join of what
was observed into a Trace, and the comparison of a live trace with a simulated one.

Driving the real browser (Qt WebEngine) is the app's part: app/live/.
"""
