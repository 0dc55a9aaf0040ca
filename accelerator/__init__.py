"""The programme after selection: programmes, territories, structures and their members, cohorts,
the accompaniment journey and its follow-up."""
