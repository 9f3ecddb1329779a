"""Side by side: one lesson in two or three modes (or settings), stepping together."""
