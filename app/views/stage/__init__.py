"""The stage: actors drawn as vector items, packets travelling between them."""
