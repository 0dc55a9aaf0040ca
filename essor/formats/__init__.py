"""Date and number formats Essor sets for a language on top of Django's (FORMAT_MODULE_PATH)."""
