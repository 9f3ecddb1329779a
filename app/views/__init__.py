"""What the window shows: stage, sequence diagram, inspectors, event log, narration, panels."""
