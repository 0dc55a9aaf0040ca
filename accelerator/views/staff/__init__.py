"""The follow-up of accompanied structures, for staff and support points: cohorts, boards,
accompaniments, their records and files, regulatory obstacles."""
