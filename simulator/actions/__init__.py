"""What can happen in a step: the user's actions, the attacks and the faults, one catalogue."""
