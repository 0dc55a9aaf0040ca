"""The programme staff's side of calls, dossiers and the jury (under /staff/),
one module per task."""
