"""CSV exports of a call's dossiers with their answers, built row by row for streaming."""

import csv
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

# The generic spreadsheet helpers live with accelerator (which may not import applications);
# they stay importable from here for the exports of calls and rankings.
from accelerator.domain.tabular import (  # noqa: F401
    BOM,
    DELIMITER,
    FORMULA_PREFIXES,
    EchoBuffer,
    safe_cell,
)
from applications.domain.answer_display import export_texts

PARIS = ZoneInfo("Europe/Paris")
# Dossiers read from the database per batch; their attachments are fetched once per batch.
CHUNK_SIZE = 200


def form_questions(call):
    """(id, label) of every question of the call's current form, in order; sections left out."""
    return [
        (block["id"], block["value"].get("label", ""))
        for block in call.form.raw_data
        if block.get("type") != "section"
    ]


def dossier_header(questions):
    fixed = [
        _("Reference"),
        _("State"),
        _("Structure"),
        _("SIRET"),
        _("Legal form"),
        _("Département"),
        _("Submitted at"),
    ]
    return fixed + [label for _id, label in questions]


def dossier_row(dossier, questions, attachments):
    structure = dossier.structure
    department = structure.department
    submitted_at = (
        dossier.submitted_at.astimezone(PARIS).isoformat(timespec="seconds")
        if dossier.submitted_at
        else ""
    )
    # Read with the dossier's snapshot once submitted, else with the call's live form.
    answers = export_texts(dossier, attachments)
    fixed = [
        dossier.reference,
        dossier.get_state_display(),
        structure.name,
        structure.siret,
        structure.get_legal_form_display(),
        f"{department.code} {department.name}",
        submitted_at,
    ]
    return fixed + [answers.get(question_id, "") for question_id, _label in questions]


def dossier_csv_lines(call, dossiers):
    """Yield the lines of the CSV export of `dossiers` (a queryset of `call`'s dossiers).

    The query count does not grow with the rows: dossiers are read in chunks with their structure
    and département joined, and their attachments prefetched once per chunk.
    """
    writer = csv.writer(EchoBuffer(), delimiter=DELIMITER)
    questions = form_questions(call)
    yield BOM + writer.writerow([safe_cell(cell) for cell in dossier_header(questions)])
    rows = (
        dossiers.select_related("structure", "structure__department")
        .prefetch_related("attachments")
        .iterator(chunk_size=CHUNK_SIZE)
    )
    for dossier in rows:
        # Every dossier belongs to `call`: reuse it rather than load it again per row.
        dossier.call = call
        attachments = list(dossier.attachments.all())
        yield writer.writerow(
            [safe_cell(cell) for cell in dossier_row(dossier, questions, attachments)]
        )
