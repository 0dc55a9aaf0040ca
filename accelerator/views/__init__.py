"""Views of the programme, grouped by who uses them (applicant/, staff/); shared helpers at this
level (access, listing, rate limits)."""
