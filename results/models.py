"""Models of the results app (filled in by its own issue)."""
