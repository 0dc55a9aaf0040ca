"""Forms of the programme: thin, they parse and show; the domain decides."""
