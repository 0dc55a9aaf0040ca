"""Business rules of structures and their members, called by views, admin, commands and tasks."""
