"""A dossier's answers as the domain reads them: each through its question's kind
(`Question.answer`, which carries an answer written for a former version of the question over,
or leaves it stored and out of view), and the files that answer the file questions.

Answers are a dict keyed by the id of their question (`form_definition.questions`); each kind
of question (`applications.questions`) says what it stores. A draft may hold incomplete or
invalid answers: they are kept as typed, and reported by `completeness`.
"""


def dossier_files(dossier, attachments=None):
    """The dossier's Attachment rows: `attachments` when the caller prefetched them (a list of
    dossiers then costs no query per dossier), else read in one query."""
    return list(dossier.attachments.all()) if attachments is None else list(attachments)


def attachment_counts(attachments):
    """{question id: how many files answer it}."""
    counts = {}
    for attachment in attachments:
        counts[attachment.field_id] = counts.get(attachment.field_id, 0) + 1
    return counts


def files_by_question(attachments):
    """{question id: [its Attachment rows]}."""
    files = {}
    for attachment in attachments:
        files.setdefault(attachment.field_id, []).append(attachment)
    return files
