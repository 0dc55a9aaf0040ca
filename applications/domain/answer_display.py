"""A dossier's answers read back for people, in form order with the sections: each answer's
typed value, its plain text, its cell in the exports and its paragraphs in the PDF, as its
question's kind renders them (`applications.questions`)."""

from applications.domain.answers import dossier_files, files_by_question
from applications.domain.form_definition import SECTION, form_definition, questions, visible_ids


def _answered(dossier, attachments):
    """(raw block, question or None for a section, answer as its kind reads it, files, visible)
    in form order."""
    definition = form_definition(dossier)
    answers = dossier.answers or {}
    files = files_by_question(dossier_files(dossier, attachments))
    shown = visible_ids(definition, answers)
    by_id = {question.id: question for question in questions(definition)}
    for block in definition or []:
        if block.get("type") == SECTION:
            yield block, None, None, [], True
            continue
        question = by_id.get(str(block.get("id")))
        if question is not None:
            yield (
                block,
                question,
                question.answer(answers),
                files.get(question.id, []),
                question.id in shown,
            )


def display_rows(dossier, attachments=None):
    """The answers for reading (staff detail, submitted view, juror view, PDF), in form order.

    Returns a list of dicts: {"id", "type", "layout", "label", "text", "value", "visible", "pdf"}
    where `layout` is the kind's `answer_layout` ("text", "files", "table"), `text` a plain-text
    rendering (partners and choices joined, money formatted in French, files by name), `pdf` the
    same as plain text lines (one partner, choice or file per line); sections appear as rows with
    type "section". An answer its question cannot read any more (written for a former version of
    it) shows as no answer. `attachments` is an optional prefetched list of the dossier's
    Attachment rows, so a list of dossiers costs no query per dossier.
    """
    rows = []
    for block, question, value, files, visible in _answered(dossier, attachments):
        if question is None:
            raw = block.get("value") or {}
            help_text = raw.get("help_text") or ""
            rows.append(
                {
                    "id": str(block.get("id")),
                    "type": SECTION,
                    "layout": SECTION,
                    "label": raw.get("heading") or "",
                    "text": help_text,
                    "value": None,
                    "visible": True,
                    "pdf": [line for line in help_text.splitlines() if line.strip()],
                }
            )
            continue
        kind = question.kind
        typed, text = kind.display(question, value, files)
        rows.append(
            {
                "id": question.id,
                "type": question.type,
                "layout": kind.answer_layout,
                "label": question.label,
                "text": text,
                "value": typed,
                "visible": visible,
                "pdf": kind.pdf_paragraphs(question, value, files),
            }
        )
    return rows


def export_texts(dossier, attachments=None):
    """{question id: the answer as one spreadsheet cell}, hidden questions included."""
    return {
        question.id: question.kind.export_text(question, value, files)
        for _block, question, value, files, _visible in _answered(dossier, attachments)
        if question is not None
    }
