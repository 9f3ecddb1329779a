"""The attacker: what they hold and the attacks they record, and their offline token toolkit."""
