"""Small pieces of English shared by the stage and the inspectors."""

from __future__ import annotations


def plural(n: int, noun: str) -> str:
    """ "1 key", "0 keys", "2 keys"."""
    return f"{n} {noun}" + ("" if n == 1 else "s")
