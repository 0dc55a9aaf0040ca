"""Reference data shipped with Essor and loaded by data migrations."""
