"""The trace written out: text, JSON lines and Mermaid, and a HAR network log."""
