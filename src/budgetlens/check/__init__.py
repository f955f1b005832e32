"""Agreement checks: interval arithmetic on printed numbers and the narrative reader."""
