"""Views of the programme's staff on the public site, inside the Wagtail admin."""
