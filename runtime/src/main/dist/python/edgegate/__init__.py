"""EdgeGate's Python side: ``edgegate.frames`` reads camera frames from shared memory (numpy only)."""
