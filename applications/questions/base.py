"""What every question kind shares: a question read from its raw block (its choices, settings and
display condition), and `QuestionKind`, the class each kind of question overrides.

A kind's methods receive the answer as `carry` read it (`Question.answer`), never the raw stored
value: an answer written for a former version of the question (another kind, a choice removed)
reaches them as None, and stays stored, out of view.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cached_property

from django import forms
from django.utils.translation import gettext as _

from applications.questions.values import is_blank

OPERATORS = ("is", "is_one_of", "is_not")


@dataclass(frozen=True)
class Choice:
    """One proposed answer: `key` is what is stored, `label` what people read."""

    key: str
    label: str


@dataclass(frozen=True)
class Condition:
    """Show a question only when the answer to question `question_id` passes `operator`."""

    question_id: str
    operator: str  # "is" | "is_one_of" | "is_not"
    answers: tuple[str, ...]  # choice keys, or "yes"/"no"


def read_choices(raw_choices):
    """The choices of a raw ListBlock value. The Wagtail admin stores each item as
    {"type": "item", "value": label, "id": ...}: its id is the key, so that renaming a choice
    keeps its answers. Hand-written data stores plain strings: the label is then the key."""
    choices = []
    for raw in raw_choices or []:
        if isinstance(raw, str):
            choices.append(Choice(key=raw, label=raw))
        elif isinstance(raw, dict) and isinstance(raw.get("value"), str):
            key = raw.get("id")
            choices.append(Choice(key=str(key) if key else raw["value"], label=raw["value"]))
    return choices


def answer_lines(text):
    """The answers of a condition as typed in the admin: one per line, blanks left out."""
    if isinstance(text, (list, tuple)):
        return tuple(str(item).strip() for item in text if str(item).strip())
    return tuple(line.strip() for line in str(text or "").splitlines() if line.strip())


@dataclass(frozen=True)
class Question:
    """One question of a form definition, read from its raw block (`value` is the block's dict)."""

    id: str
    type: str
    value: dict

    @property
    def kind(self):
        """The QuestionKind of this question (a read-only fallback for an unknown type)."""
        # The registry imports the kinds, which import this module: looked up when asked.
        from applications.questions import kind_of

        return kind_of(self.type)

    @property
    def label(self):
        return self.value.get("label") or ""

    @property
    def help_text(self):
        return self.value.get("help_text") or ""

    @property
    def required(self):
        return bool(self.value.get("required"))

    @cached_property
    def choices(self):
        # Read once per question: display, checks and carry-over ask for it per answer.
        return read_choices(self.value.get("choices"))

    def choice_label(self, key):
        """The label of the choice `key`; the key itself when no current choice has it."""
        for choice in self.choices:
            if choice.key == key:
                return choice.label
        return str(key)

    def setting(self, name):
        """A numeric setting of the block (limit, bounds, max_files...), or None."""
        raw = self.value.get(name)
        if raw in (None, "") or isinstance(raw, bool):
            return None
        try:
            value = Decimal(str(raw))
        except InvalidOperation:
            return None
        return value if value.is_finite() else None

    @property
    def condition(self):
        """The display condition, or None when the question is always shown. Legacy conditions
        (`show_if_key`) are read once `conditions.upgrade_conditions` has turned them into this."""
        source = str(self.value.get("show_if_question") or "").strip()
        if not source:
            return None
        operator = self.value.get("show_if_operator") or "is"
        return Condition(
            question_id=source,
            operator=operator if operator in OPERATORS else "is",
            answers=answer_lines(self.value.get("show_if_answers")),
        )

    def answer(self, answers):
        """This question's answer in `answers` (a dossier's dict), read by its kind's `carry`:
        None when there is none, or when it was written for a former version of the question."""
        return self.kind.carry(self, (answers or {}).get(self.id))


def selection_matches(selected, condition):
    """Whether the keys `selected` (an answer's choices; empty when unanswered) pass `condition`.
    An unanswered question passes no condition, "is not" included: nothing is shown on the
    strength of an answer not given yet."""
    selected = set(selected)
    if not selected:
        return False
    wanted = set(condition.answers)
    if condition.operator == "is_not":
        return not selected & wanted
    if condition.operator == "is":
        return bool(condition.answers) and condition.answers[0] in selected
    return bool(selected & wanted)


def field_options(question):
    """The options every question's form field shares: its label and help, never `required`
    (a draft is saved incomplete; the domain says what is missing at submission)."""
    return {"label": question.label, "help_text": question.help_text, "required": False}


class QuestionKind:
    """One kind of question. Subclasses set the attributes and override what differs."""

    name = ""  # the block's name in the form's stream, e.g. "short_text"
    block_class = None  # the StructBlock staff fill in
    condition_source = False  # may a display condition test its answer
    stores_answer = True  # False for files (Attachment rows) and sections
    takes_files = False  # answered with the dossier's Attachment rows
    layout = "input"  # how the dossier page lays its field out: "input", "fieldset" or "file"
    # How a dossier shows the answer: "text", "files" (links to the attachments) or "table"
    # (rows of a table, which blind review hides, as they name other organisations).
    answer_layout = "text"
    unit = ""  # shown after the label, e.g. "€"

    def block(self):
        """A new instance of this kind's block, for the form builder's stream."""
        return self.block_class()

    # The answers a condition may test when they do not come from the block: (key, label) pairs.
    fixed_answers = None

    def condition_answers(self, question):
        """The answers a display condition on `question` may name, as Choices ([] if none)."""
        if not self.condition_source:
            return []
        if self.fixed_answers is not None:
            return [Choice(key=key, label=str(label)) for key, label in self.fixed_answers]
        return question.choices

    def field(self, question, attrs):
        """The form field asking `question`, its widget given `attrs` (aria-required...)."""
        return forms.CharField(widget=forms.TextInput(attrs=attrs), **field_options(question))

    def normalise(self, question, typed):
        """The value to store for what was typed: canonical when it can be read, else as typed."""
        if typed is None:
            return ""
        return typed if isinstance(typed, str) else str(typed)

    def refusals(self, question, typed):
        """Why what was typed may not be stored at all (hard caps: never stored); [] when it may."""
        return []

    def problems(self, question, value, file_count=0):
        """What is wrong with the answer `value` at submission (soft checks); [] if nothing."""
        if question.required and not self.is_answered(question, value, file_count):
            return [_("This answer is required.")]
        return []

    def is_answered(self, question, value, file_count=0):
        """Whether the answer `value` (or `file_count` files) fills the question in."""
        return not is_blank(value)

    def display(self, question, value, files):
        """(typed value, plain text) of the answer `value`, for people reading the dossier."""
        if is_blank(value):
            return None, ""
        return value, str(value)

    def export_text(self, question, value, files):
        """The answer `value` as one spreadsheet cell."""
        return self.display(question, value, files)[1]

    def pdf_paragraphs(self, question, value, files):
        """The answer `value` as plain text lines, one paragraph each, for the dossier's PDF."""
        text = self.display(question, value, files)[1]
        return [text] if text else []

    def rules(self, question):
        """The rules a person should know before typing, in one short sentence, or ""."""
        return ""

    def counter(self, question, value):
        """{"count", "limit", "unit", "over"} of a limited text, shown under its field, or None."""
        return None

    def input_text(self, question, stored):
        """A stored value as shown back in the field for editing."""
        return stored

    def carry(self, question, stored):
        """`stored` read in this kind's shape, or None when this kind cannot read it (an answer
        written for a former version of the question: another kind, a choice removed)."""
        if is_blank(stored):
            return None
        return stored if isinstance(stored, str) else None

    def matches(self, question, value, condition):
        """Whether the answer `value` passes the display `condition` (choice and yes/no kinds)."""
        return False


class UnknownKind(QuestionKind):
    """A block type no kind knows (data from a newer or older Essor): shown read-only as str()."""

    stores_answer = True

    def __init__(self, name):
        self.name = name

    def block(self):
        raise LookupError(f"No block for the unknown question kind {self.name!r}")

    def field(self, question, attrs):
        return forms.CharField(
            widget=forms.TextInput(attrs={**attrs, "readonly": True}),
            disabled=True,
            **field_options(question),
        )

    def problems(self, question, value, file_count=0):
        return []

    def is_answered(self, question, value, file_count=0):
        # Nobody can answer it here: it never holds a dossier back.
        return True

    def carry(self, question, stored):
        return None if is_blank(stored) else stored
