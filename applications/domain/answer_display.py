"""A dossier's answers read back for people: each answer's typed value and its plain-text
rendering in form order, sections included, for the staff detail, the submitted view and the
exports."""

from django.utils import translation
from django.utils.translation import gettext as _

from accelerator.identifiers import normalise_siret
from applications.blocks import PARTNER_KINDS
from applications.domain.answers import (
    dossier_files,
    format_euros,
    format_number,
    is_blank,
    parse_date,
    parse_decimal,
    parse_yes_no,
)
from applications.domain.form_definition import SECTION, Question, form_definition, visible_ids


def _partner_text(row):
    kind = PARTNER_KINDS.get(row.get("kind"), row.get("kind") or "")
    details = [str(kind)] if kind else []
    if row.get("siret"):
        details.append(f"SIRET {normalise_siret(row['siret'])}")
    if row.get("role"):
        details.append(row["role"])
    name = row.get("name") or "?"
    return f"{name} ({', '.join(details)})" if details else name


def _read(question, raw, files):
    """(value, text) of one answer: a typed value, and its plain-text rendering in French."""
    kind = question.type
    if kind == "file":
        return files, ", ".join(a.original_name for a in files)
    if kind == "partners":
        rows = [
            {**row, "kind_label": str(PARTNER_KINDS.get(row.get("kind"), row.get("kind") or ""))}
            for row in (raw if isinstance(raw, list) else [])
            if isinstance(row, dict)
        ]
        return rows, "; ".join(_partner_text(r) for r in rows)
    if is_blank(raw):
        return None, ""
    if kind in ("number", "money"):
        number = parse_decimal(raw)
        if number is None:
            return raw, str(raw)
        if kind == "money":
            return number, format_euros(number, language="fr")
        with translation.override("fr"):
            return number, format_number(number)
    if kind == "date":
        day = parse_date(raw)
        return (day, day.strftime("%d/%m/%Y")) if day else (raw, str(raw))
    if kind == "yes_no":
        value = parse_yes_no(raw)
        if value is None:
            return raw, str(raw)
        return value, (_("Yes") if value else _("No"))
    if kind == "multiple_choice":
        items = raw if isinstance(raw, list) else [raw]
        return items, ", ".join(str(i) for i in items)
    return raw, str(raw)


def display_rows(dossier, attachments=None):
    """The answers for reading (staff detail, submitted view, exports), in form order.

    Returns a list of dicts: {"id", "type", "label", "text", "value", "visible"} where `text` is a
    plain-text rendering (partners and choices joined, money formatted in French, files by name)
    and sections appear as rows with type "section". `attachments` is an optional prefetched list
    of the dossier's Attachment rows, so a list of dossiers costs no query per dossier.
    """
    definition = form_definition(dossier)
    answers = dossier.answers or {}
    files_by_field = {}
    for attachment in dossier_files(dossier, attachments):
        files_by_field.setdefault(attachment.field_id, []).append(attachment)
    shown = visible_ids(definition, answers)
    rows = []
    for block in definition or []:
        value = block.get("value") or {}
        if block.get("type") == SECTION:
            rows.append(
                {
                    "id": str(block.get("id")),
                    "type": SECTION,
                    "label": value.get("heading") or "",
                    "text": value.get("help_text") or "",
                    "value": None,
                    "visible": True,
                }
            )
            continue
        question = Question(id=str(block.get("id")), type=block.get("type"), value=value)
        typed, text = _read(question, answers.get(question.id), files_by_field.get(question.id, []))
        rows.append(
            {
                "id": question.id,
                "type": question.type,
                "label": question.label,
                "text": text,
                "value": typed,
                "visible": question.id in shown,
            }
        )
    return rows
