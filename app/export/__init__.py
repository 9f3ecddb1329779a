"""Exports for docs and handouts: pictures, animations, PDFs, Mermaid, HAR; `authflow render`."""
