"""Views of the public site, grouped by who uses them."""
