"""The main window: a shell, the parts it is made of, and what it remembers between runs."""
