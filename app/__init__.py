"""Authflow's PySide6 app: draws and animates what the simulator produced.

This package's top level imports no Qt, so `authflow trace` stays Qt-free.
"""
