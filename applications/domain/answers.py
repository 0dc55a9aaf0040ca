"""Reading, validating and measuring a dossier's answers against the form it answers.

A form definition is the raw StreamField data of `Call.form` (a list of {"type", "value", "id"}),
or a dossier's `form_snapshot` once submitted. Answers are a dict keyed by block id:

- short_text, long_text, single_choice: a string;
- number, money: a string holding a decimal ("12500.50"), or the text typed when it is not one;
- date: "YYYY-MM-DD", or the text typed when it is not a date;
- yes_no: "yes" or "no";
- multiple_choice: a list of strings;
- partners: a list of {"name", "kind", "siret", "role"};
- file: nothing in the answers; the files are the dossier's Attachment rows with that `field_id`.

A draft may hold incomplete or invalid answers: they are kept as typed and reported by `problems`.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accelerator.identifiers import normalise_siret, validate_siren_or_siret
from applications.blocks import PARTNER_KINDS

SECTION = "section"
YES_WORDS = {"yes", "oui", "true", "1", "y", "o"}
NO_WORDS = {"no", "non", "false", "0", "n"}


def form_definition(dossier):
    """The form this dossier answers: its snapshot once submitted, else the call's live form."""
    if dossier.form_snapshot is not None:
        return dossier.form_snapshot
    return list(dossier.call.form.raw_data)


@dataclass(frozen=True)
class Question:
    """One question of a form definition, read from its raw block."""

    id: str
    type: str
    value: dict

    @property
    def label(self):
        return self.value.get("label") or ""

    @property
    def key(self):
        return self.value.get("key") or ""

    @property
    def help_text(self):
        return self.value.get("help_text") or ""

    @property
    def required(self):
        return bool(self.value.get("required"))

    @property
    def show_if_key(self):
        return self.value.get("show_if_key") or ""

    @property
    def show_if_value(self):
        return self.value.get("show_if_value") or ""

    @property
    def choices(self):
        # A ListBlock saved by the Wagtail admin stores {"type": "item", "value": ..., "id": ...};
        # older data and hand-written forms store plain strings.
        return [
            c["value"] if isinstance(c, dict) else c
            for c in (self.value.get("choices") or [])
            if isinstance(c, str) or (isinstance(c, dict) and isinstance(c.get("value"), str))
        ]

    def setting(self, name):
        """A numeric setting of the block (limit, bounds, max_files...), or None."""
        raw = self.value.get(name)
        if raw in (None, ""):
            return None
        try:
            return Decimal(str(raw))
        except InvalidOperation:
            return None


def questions(definition):
    """The questions of a form definition, in order, sections left out."""
    return [
        Question(id=str(block.get("id")), type=block.get("type"), value=block.get("value") or {})
        for block in definition or []
        if block.get("type") != SECTION and block.get("id")
    ]


# --- reading one answer --------------------------------------------------------------------


def read_decimal(raw):
    """The Decimal a person typed ("12 500,50", "12500.5", "1.250,00 €"), infinities and NaN
    included, else None."""
    if isinstance(raw, (int, Decimal)):
        return Decimal(raw)
    if not isinstance(raw, str):
        return None
    text = re.sub(r"[\s\u00a0\u202f€]", "", raw)
    if not text:
        return None
    if "," in text and "." in text:
        # The last separator is the decimal one; the other groups thousands.
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    else:
        text = text.replace(",", ".")
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def parse_decimal(raw):
    """A finite Decimal from what a person types ("12 500,50", "12500.5"), else None."""
    value = read_decimal(raw)
    return value if value is not None and value.is_finite() else None


def decimal_places(value):
    """How many decimals `value` really has ("12.50" has one, "12.345" three)."""
    sign, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int) or exponent >= 0:
        return 0
    places, digits = -exponent, list(digits)
    while places and digits and digits[-1] == 0:
        digits.pop()
        places -= 1
    return places


def parse_date(raw):
    if isinstance(raw, datetime.date):
        return raw
    if not isinstance(raw, str) or not raw.strip():
        return None
    text = raw.strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def parse_yes_no(raw):
    if isinstance(raw, bool):
        return raw
    if not isinstance(raw, str):
        return None
    word = raw.strip().casefold()
    if word in YES_WORDS:
        return True
    if word in NO_WORDS:
        return False
    return None


def normalise(question, raw):
    """The answer to store for what was typed: canonical when it can be read, else as typed."""
    kind = question.type
    if kind in ("number", "money"):
        text = (raw or "").strip() if isinstance(raw, str) else raw
        value = parse_decimal(text)
        if value is None:
            return text or ""
        if kind == "money" and value.as_tuple().exponent >= -2:
            # Two decimals, the way amounts in euros are written and compared.
            try:
                value = value.quantize(Decimal("0.01"))
            except InvalidOperation:
                # More digits than the decimal context holds: kept as typed, and refused by
                # `answer_input.refusals` before it is ever stored.
                return text
        return str(value)
    if kind == "date":
        value = parse_date(raw)
        return value.isoformat() if value else (raw or "").strip()
    if kind == "yes_no":
        value = parse_yes_no(raw)
        return "" if value is None else ("yes" if value else "no")
    if kind == "multiple_choice":
        return [c for c in (raw or []) if isinstance(c, str) and c]
    if kind == "partners":
        rows = []
        for row in raw or []:
            clean = {k: str(row.get(k) or "").strip() for k in ("name", "kind", "siret", "role")}
            if any(clean.values()):
                rows.append(clean)
        return rows
    if kind == "file":
        return None
    return raw if isinstance(raw, str) else ("" if raw is None else str(raw))


def is_blank(value):
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, dict)):
        return not value
    return False


def count_words(text):
    return len(text.split())


def count_characters(text):
    # A line break typed in a browser may arrive as \r\n; people count it as one character.
    return len(text.replace("\r\n", "\n"))


# --- which questions apply -----------------------------------------------------------------


def _matches(question, answer, expected):
    expected = (expected or "").strip().casefold()
    if question.type == "yes_no":
        value = parse_yes_no(answer) if isinstance(answer, str) else answer
        wanted = parse_yes_no(expected)
        return value is not None and wanted is not None and value == wanted
    if isinstance(answer, list):
        return any(str(a).strip().casefold() == expected for a in answer)
    return isinstance(answer, str) and answer.strip().casefold() == expected


def visible_ids(definition, answers):
    """The ids of the questions that apply: a conditional question applies only when the earlier
    question it depends on applies and has the expected answer."""
    by_key, shown = {}, set()
    for question in questions(definition):
        condition = question.show_if_key
        if condition:
            controller = by_key.get(condition)
            visible = (
                controller is not None
                and controller.id in shown
                and _matches(controller, answers.get(controller.id), question.show_if_value)
            )
        else:
            visible = True
        if visible:
            shown.add(question.id)
        if question.key:
            by_key[question.key] = question
    return shown


def controlling_ids(definition):
    """For each conditional question, the id of the question it depends on (for the form's JS)."""
    by_key, result = {}, {}
    for question in questions(definition):
        if question.show_if_key and question.show_if_key in by_key:
            result[question.id] = by_key[question.show_if_key].id
        if question.key:
            by_key[question.key] = question
    return result


# --- validation ----------------------------------------------------------------------------


def _bounds_problems(question, value, money):
    problems = []
    low, high = question.setting("min_value"), question.setting("max_value")
    show = format_euros if money else format_number
    if low is not None and value < low:
        problems.append(_("The smallest accepted value is %(low)s.") % {"low": show(low)})
    if high is not None and value > high:
        problems.append(_("The largest accepted value is %(high)s.") % {"high": show(high)})
    return problems


def answer_problems(question, value, file_count=0):
    """What is wrong with one answer, assuming the question applies. Empty when all is fine."""
    kind = question.type
    if kind == "file":
        if question.required and file_count == 0:
            return [_("Please attach a file.")]
        limit = question.setting("max_files")
        if limit is not None and file_count > limit:
            return [
                ngettext(
                    "At most %(count)d file is accepted here.",
                    "At most %(count)d files are accepted here.",
                    int(limit),
                )
                % {"count": int(limit)}
            ]
        return []
    if kind == "partners":
        return _partners_problems(question, value or [])
    if is_blank(value):
        return [_("This answer is required.")] if question.required else []

    if kind == "short_text":
        limit = question.setting("max_length")
        if limit is not None and count_characters(value) > limit:
            return [
                _("Please keep this answer under %(limit)d characters (it has %(count)d).")
                % {"limit": int(limit), "count": count_characters(value)}
            ]
    elif kind == "long_text":
        limit = question.setting("limit")
        if limit is not None:
            words = question.value.get("limit_unit") != "characters"
            count = count_words(value) if words else count_characters(value)
            if count > limit:
                message = (
                    _("Please keep this answer under %(limit)d words (it has %(count)d).")
                    if words
                    else _("Please keep this answer under %(limit)d characters (it has %(count)d).")
                )
                return [message % {"limit": int(limit), "count": count}]
    elif kind in ("number", "money"):
        number = parse_decimal(value)
        if number is None:
            return [
                _("Enter an amount in euros, for example 12500 or 12 500,50.")
                if kind == "money"
                else _("Enter a number.")
            ]
        if (
            kind == "number"
            and question.value.get("integer_only")
            and number != number.to_integral()
        ):
            return [_("Enter a whole number.")]
        # Counted, not quantized: a quantize of more digits than the context holds would raise.
        if kind == "money" and decimal_places(number) > 2:
            return [_("An amount in euros has at most two decimals.")]
        return _bounds_problems(question, number, money=kind == "money")
    elif kind == "date":
        if parse_date(value) is None:
            return [_("Enter a date, for example 31/12/2026.")]
    elif kind == "yes_no":
        if parse_yes_no(value) is None:
            return [_("Answer yes or no.")]
    elif kind == "single_choice":
        if value not in question.choices:
            return [_("Pick one of the proposed answers.")]
    elif kind == "multiple_choice":
        if any(choice not in question.choices for choice in value):
            return [_("Pick among the proposed answers.")]
        limit = question.setting("max_selected")
        if limit is not None and len(value) > limit:
            return [
                ngettext(
                    "Pick at most %(count)d answer.", "Pick at most %(count)d answers.", int(limit)
                )
                % {"count": int(limit)}
            ]
    return []


def _partners_problems(question, rows):
    problems = []
    least = question.setting("min_rows")
    most = question.setting("max_rows")
    if question.required and not rows and not least:
        problems.append(_("Please add at least one partner."))
    if least is not None and len(rows) < least:
        problems.append(
            ngettext(
                "Please add at least %(count)d partner.",
                "Please add at least %(count)d partners.",
                int(least),
            )
            % {"count": int(least)}
        )
    if most is not None and len(rows) > most:
        problems.append(
            ngettext(
                "At most %(count)d partner is accepted.",
                "At most %(count)d partners are accepted.",
                int(most),
            )
            % {"count": int(most)}
        )
    for number, row in enumerate(rows, start=1):
        if not row.get("name"):
            problems.append(_("Partner %(number)d: the name is missing.") % {"number": number})
        if not row.get("kind"):
            problems.append(_("Partner %(number)d: choose the kind of actor.") % {"number": number})
        elif row["kind"] not in PARTNER_KINDS:
            problems.append(_("Partner %(number)d: unknown kind of actor.") % {"number": number})
        if row.get("siret"):
            try:
                validate_siren_or_siret(row["siret"])
            except ValidationError as error:
                problems.append(
                    _("Partner %(number)d: %(problem)s")
                    % {"number": number, "problem": " ".join(error.messages)}
                )
    return problems


def attachment_counts(attachments):
    counts = {}
    for attachment in attachments:
        counts[attachment.field_id] = counts.get(attachment.field_id, 0) + 1
    return counts


def problems(definition, answers, file_counts=None):
    """Every problem that stops these answers from being submitted, as {question id: [messages]}.
    Questions hidden by their condition are ignored."""
    file_counts = file_counts or {}
    shown = visible_ids(definition, answers)
    found = {}
    for question in questions(definition):
        if question.id not in shown:
            continue
        messages = answer_problems(
            question, answers.get(question.id), file_counts.get(question.id, 0)
        )
        if messages:
            found[question.id] = messages
    return found


def _attachments(dossier, attachments):
    return list(dossier.attachments.all()) if attachments is None else list(attachments)


def missing_answers(dossier, attachments=None):
    """The problems that stop `dossier` from being submitted, as {field_id: [messages]}."""
    files = attachment_counts(_attachments(dossier, attachments))
    return problems(form_definition(dossier), dossier.answers or {}, files)


@dataclass
class Completeness:
    required: int
    answered: int
    missing: list = field(default_factory=list)

    @property
    def percent(self):
        return 100 if not self.required else round(100 * self.answered / self.required)

    @property
    def is_complete(self):
        return self.answered == self.required


def measure(definition, answers, file_counts=None):
    """How many required questions that apply are answered, and the labels of the others."""
    file_counts = file_counts or {}
    shown = visible_ids(definition, answers)
    result = Completeness(required=0, answered=0)
    for question in questions(definition):
        if question.id not in shown or not question.required:
            continue
        result.required += 1
        if question.type == "file":
            answered = file_counts.get(question.id, 0) > 0
        else:
            answered = not is_blank(answers.get(question.id))
        if answered:
            result.answered += 1
        else:
            result.missing.append(question.label)
    return result


def completeness(dossier, attachments=None):
    """Required count, answered count and the labels still missing, for the progress bar."""
    files = attachment_counts(_attachments(dossier, attachments))
    return measure(form_definition(dossier), dossier.answers or {}, files)


# --- reading answers back ------------------------------------------------------------------


def format_number(value, decimal_pos=None):
    return formats.number_format(value, decimal_pos=decimal_pos, use_l10n=True, force_grouping=True)


def format_euros(amount, language=None):
    """An amount in euros in the active (or given) language: "12 500 €", "12 500,50 €"."""
    amount = Decimal(amount)
    places = 0 if amount == amount.to_integral() else 2
    with translation.override(language or translation.get_language()):
        return f"{format_number(amount, places)}\u00a0€"


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
    for attachment in _attachments(dossier, attachments):
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
