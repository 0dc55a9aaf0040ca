"""Reading, validating and measuring a dossier's answers against the form it answers."""


def missing_answers(dossier):
    """The problems that stop `dossier` from being submitted, as {field_id: [messages]}."""
    return {}
