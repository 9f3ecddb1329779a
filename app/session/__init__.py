"""What is shown: the run (lesson, mode, settings, the user's steps) and the playback position."""
