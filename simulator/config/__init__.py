"""What a run is set up with: settings, modes, seeds and entropy, and user files read safely."""
