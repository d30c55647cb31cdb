"""Models of the voting app (filled in by its own issue)."""
