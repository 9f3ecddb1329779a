"""Inspectors: dockable views of the current event's cookies, headers, store, storage and tokens.

Each inspector renders plain data from the trace (cookie rows, header lists, store
snapshots) through a thin Qt model, so a live browser could one day feed the same views.
"""
