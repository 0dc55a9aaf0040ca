"""The notification pages, by who uses them: `people` (the bell, the list, preferences,
unsubscribing) and `staff` (what was sent about a dossier, a structure or a person)."""
