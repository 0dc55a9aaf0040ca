"""The juror's side: answering an invitation, their juries and dossiers, conflicts, reviews."""
