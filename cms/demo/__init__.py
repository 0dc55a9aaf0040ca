"""Demo data for the embedded run: a regional programme with its calls, structures and people."""
