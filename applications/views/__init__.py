"""Views of calls and dossiers, one package or module per side and task."""
