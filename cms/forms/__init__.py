"""Forms of the public site's agenda and directory: they parse and show, the domain decides."""
