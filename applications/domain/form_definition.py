"""The form a dossier answers: its definition (the raw StreamField data of `Call.form`, or the
dossier's `form_snapshot` once submitted), the questions read from it, and which of them apply
given the answers (conditional questions)."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from applications.domain.answers import parse_yes_no

SECTION = "section"


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
