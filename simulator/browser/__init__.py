"""The simulated browser: its jar, storage and page memory, and what the page's script does."""
