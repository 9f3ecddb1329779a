"""The trace: simulated time, events with typed details, the recorder, request/response pairs."""
