"""The applicant's side of dossiers: start, write, attach, submit, withdraw, list them."""
