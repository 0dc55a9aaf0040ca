"""The business rules of calls and dossiers, called by views, the admin, tasks and commands."""
