"""Forms of calls, dossiers and the jury: thin, they parse and show; the domain decides."""
