"""Views of the jury: one module per part of the work."""
