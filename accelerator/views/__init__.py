"""Views of the applicant's space, one module per task."""
