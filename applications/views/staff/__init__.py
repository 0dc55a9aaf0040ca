"""The programme staff's side of calls and dossiers (under /staff/), one module per task."""
