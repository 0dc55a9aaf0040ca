"""Reading, validating and measuring a dossier's answers against the form it answers.

A form definition is the raw StreamField data of `Call.form` (a list of {"type", "value", "id"}),
or a dossier's `form_snapshot` once submitted. Answers are a dict keyed by block id.
"""


def form_definition(dossier):
    """The form this dossier answers: its snapshot once submitted, else the call's live form."""
    if dossier.form_snapshot is not None:
        return dossier.form_snapshot
    return list(dossier.call.form.raw_data)


def missing_answers(dossier):
    """The problems that stop `dossier` from being submitted, as {field_id: [messages]}."""
    return {}


def display_rows(dossier, attachments=None):
    """The answers for reading (staff detail, submitted view, exports), in form order.

    Returns a list of dicts: {"id", "type", "label", "text", "value", "visible"} where `text` is a
    plain-text rendering (partners and choices joined, money formatted in French, files by name)
    and sections appear as rows with type "section". `attachments` is an optional prefetched list
    of the dossier's Attachment rows, so a list of dossiers costs no query per dossier.
    """
    raise NotImplementedError
