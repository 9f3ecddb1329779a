"""Lessons: TOML files of steps and narration, and running steps through a fresh world."""
