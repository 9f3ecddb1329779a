"""The world: builds every actor for a mode and its settings and carries each exchange."""
