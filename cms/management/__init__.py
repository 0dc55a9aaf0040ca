"""Management commands of the public site."""
