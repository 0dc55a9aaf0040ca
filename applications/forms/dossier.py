"""The dossier form, built from the definition a dossier answers; the applicant's small forms.

Every field of the dossier form accepts what was typed, valid or not: a draft is saved as it is.
Whether the answers may be submitted is decided by the domain (`completeness.problems`), whose
messages the view places next to each field with `add_problems`.
"""

from django import forms
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

from applications.blocks import PARTNER_KINDS
from applications.domain import answer_input
from applications.domain.answers import count_characters, count_words, is_blank, normalise
from applications.domain.attachments import ACCEPTED
from applications.domain.form_definition import SECTION, controlling_ids, questions, visible_ids

PARTNER_COLUMNS = ("name", "kind", "siret", "role")
ACCEPT_FILES = ",".join(
    sorted({f".{ending}" for endings in ACCEPTED.values() for ending in endings})
)
YES_NO = [("yes", _("Yes")), ("no", _("No"))]
# One hidden input listing the questions the page shows, so that a save tells "a box left
# unticked" (listed, no value) from "a question this request does not carry" (neither). One input,
# not one per question, so the marker adds a single field towards DATA_UPLOAD_MAX_NUMBER_FIELDS.
PRESENT = "_present"


def _getlist(data, name):
    if hasattr(data, "getlist"):
        return data.getlist(name)
    value = data.get(name, [])
    return value if isinstance(value, list) else [value]


class PartnersWidget(forms.Widget):
    """A table of partners, one row per partner; the browser sends each column as a list."""

    template_name = "applications/dossier/widgets/partners.html"

    def value_from_datadict(self, data, files, name):
        columns = {column: _getlist(data, f"{name}.{column}") for column in PARTNER_COLUMNS}
        count = max((len(values) for values in columns.values()), default=0)
        return [
            {column: (values[i] if i < len(values) else "") for column, values in columns.items()}
            for i in range(count)
        ]

    def value_omitted_from_data(self, data, files, name):
        return not any(f"{name}.{column}" in data for column in PARTNER_COLUMNS)

    def format_value(self, value):
        return value or []

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["rows"] = value or []
        context["widget"]["kinds"] = list(PARTNER_KINDS.items())
        context["widget"]["columns"] = PARTNER_COLUMNS
        return context


class ListField(forms.Field):
    """A field whose value is a list (multiple choice, partners), kept as sent."""

    def to_python(self, value):
        if value in self.empty_values:
            return []
        return list(value) if isinstance(value, (list, tuple)) else [value]


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


def _without_control_characters(data):
    """A copy of the posted data with no control character, and the names whose values held one."""
    cleaned, touched = MultiValueDict(), set()
    for name in data:
        values = []
        for value in _getlist(data, name):
            if answer_input.has_control_characters(value):
                value = answer_input.strip_control_characters(value)
                touched.add(name.split(".", 1)[0])
            values.append(value)
        cleaned.setlist(answer_input.strip_control_characters(str(name)), values)
    return cleaned, touched


class DossierForm(forms.Form):
    """The questions of one form definition, as Django fields named by block id.

    A bound form changes only the answers its data carries: a question is carried when its
    field's name or its PRESENT marker is in the data. Answers refused by the domain's hard caps
    (`refused`) keep their stored value and are shown, as typed, with the reason.
    """

    def __init__(self, definition, *args, answers=None, attachments=None, **kwargs):
        self.definition = definition or []
        self.questions = questions(self.definition)
        self.stored_answers = dict(answers or {})
        self.attachments = list(attachments or [])
        self.refused = {}
        self.control_characters_removed = set()
        self._answers = None
        if "data" in kwargs:
            data = kwargs.pop("data")
        elif args:
            data, args = args[0], args[1:]
        else:
            data = None
        if data is not None:
            # Invisible characters pasted from other programs are dropped here, before anything
            # reads the data, and the person is told (see `stripped_labels`).
            data, self.control_characters_removed = _without_control_characters(data)
        initial = {
            q.id: answer_input.input_text(q, self.stored_answers.get(q.id))
            for q in self.questions
            if q.type != "file"
        }
        super().__init__(data, *args, initial=initial, **kwargs)
        for question in self.questions:
            self.fields[question.id] = self._field(question)

    # --- building --------------------------------------------------------------------------

    def _field(self, question):
        kind = question.type
        options = {"label": question.label, "help_text": question.help_text, "required": False}
        attrs = {}
        if question.required:
            attrs["aria-required"] = "true"
        if answer_input.rules_text(question):
            described = [f"id_{question.id}_helptext"] if question.help_text else []
            attrs["aria-describedby"] = " ".join([*described, f"id_{question.id}_rules"])
        cap = answer_input.character_cap(question)
        if cap is not None and kind not in ("multiple_choice", "partners", "file"):
            # Read by the page's script, which warns before posting what would be refused.
            attrs["data-max-characters"] = cap
        if kind == "long_text":
            limit = question.setting("limit")
            if limit is not None:
                attrs["data-limit"] = int(limit)
                attrs["data-limit-unit"] = question.value.get("limit_unit") or "words"
            attrs["rows"] = 8
            return forms.CharField(widget=forms.Textarea(attrs=attrs), strip=False, **options)
        if kind in ("number", "money"):
            attrs["inputmode"] = "decimal"
            for bound in ("min_value", "max_value"):
                value = question.setting(bound)
                if value is not None:
                    attrs[f"data-{bound.replace('_', '-')}"] = str(value)
            if kind == "money":
                attrs["class"] = "input--money"
            return forms.CharField(widget=forms.TextInput(attrs=attrs), **options)
        if kind == "date":
            attrs["type"] = "date"
            return forms.CharField(widget=forms.DateInput(attrs=attrs), **options)
        if kind == "yes_no":
            return forms.CharField(widget=forms.RadioSelect(attrs=attrs, choices=YES_NO), **options)
        if kind == "single_choice":
            choices = [(c, c) for c in question.choices]
            return forms.CharField(
                widget=forms.RadioSelect(attrs=attrs, choices=choices), **options
            )
        if kind == "multiple_choice":
            choices = [(c, c) for c in question.choices]
            limit = question.setting("max_selected")
            if limit is not None:
                attrs["data-max-selected"] = int(limit)
            return ListField(
                widget=forms.CheckboxSelectMultiple(attrs=attrs, choices=choices), **options
            )
        if kind == "partners":
            return ListField(widget=PartnersWidget(attrs=attrs), **options)
        if kind == "file":
            attrs["accept"] = ACCEPT_FILES
            return ListField(widget=MultipleFileInput(attrs=attrs), **options)
        limit = question.setting("max_length")
        if limit is not None:
            attrs["data-limit"] = int(limit)
            attrs["data-limit-unit"] = "characters"
        return forms.CharField(widget=forms.TextInput(attrs=attrs), **options)

    def clean(self):
        # Files are checked and stored by the view through the domain, one by one.
        for question in self.questions:
            if question.type == "file":
                self.cleaned_data.pop(question.id, None)
        return super().clean()

    # --- reading -----------------------------------------------------------------------------

    def answers(self):
        """The answers to store: what was typed, normalised where it can be read. Answers to
        questions this form does not ask (any more), or that this request does not carry, or
        that are refused (see `refused`), are kept as they were."""
        if not self.is_bound:
            return dict(self.stored_answers)
        if self._answers is None:
            self._answers = self._read()
            for field_id, messages in self.refused.items():
                for message in messages:
                    self.add_error(field_id, message)
        return dict(self._answers)

    def _carried(self, question, present):
        if question.id in present:
            return True
        if question.type == "partners":
            widget = self.fields[question.id].widget
            return not widget.value_omitted_from_data(self.data, self.files, question.id)
        return question.id in self.data

    def _typed(self, question):
        if self.errors.get(question.id) is None and question.id in self.cleaned_data:
            return self.cleaned_data[question.id]
        # A field Django refused keeps what was sent: a draft never drops a typed answer.
        return self[question.id].data

    def _read(self):
        known = {q.id for q in self.questions}
        result = {k: v for k, v in self.stored_answers.items() if k not in known}
        present = set(" ".join(_getlist(self.data, PRESENT)).split())
        for question in self.questions:
            if question.type == "file":
                continue
            stored = self.stored_answers.get(question.id)
            if self._carried(question, present):
                typed = self._typed(question)
                refused = answer_input.refusals(question, typed)
                if refused:
                    self.refused[question.id] = refused
                else:
                    stored = normalise(question, typed)
            if not is_blank(stored):
                result[question.id] = stored
        return result

    def present_marker(self):
        """(name, value) of the hidden input listing the questions this form shows."""
        shown = " ".join(q.id for q in self.questions if q.type != "file")
        return {"name": PRESENT, "value": shown}

    def stripped_labels(self):
        """The labels of the questions whose answer lost invisible control characters."""
        return [q.label for q in self.questions if q.id in self.control_characters_removed]

    def current_answers(self):
        """The answers shown: what was typed when the form is bound, else what is stored."""
        if self.is_bound and hasattr(self, "cleaned_data"):
            return self.answers()
        return self.stored_answers

    def add_problems(self, problems):
        """Put the domain's problems ({question id: [messages]}) next to their fields."""
        for field_id, messages in problems.items():
            if field_id in self.fields:
                for message in messages:
                    self.add_error(field_id, message)
            else:
                for message in messages:
                    self.add_error(None, message)

    def items(self):
        """Sections and questions in form order, for the template."""
        answers = self.current_answers()
        shown = visible_ids(self.definition, answers)
        controllers = controlling_ids(self.definition)
        files = {}
        for attachment in self.attachments:
            files.setdefault(attachment.field_id, []).append(attachment)
        by_id = {q.id: q for q in self.questions}
        for block in self.definition:
            if block.get("type") == SECTION:
                value = block.get("value") or {}
                yield {
                    "kind": "section",
                    "heading": value.get("heading") or "",
                    "help_text": value.get("help_text") or "",
                }
                continue
            question = by_id.get(str(block.get("id")))
            if question is None:
                continue
            yield {
                "kind": "question",
                "question": question,
                "field": self[question.id],
                "visible": question.id in shown,
                "controller": controllers.get(question.id, ""),
                "show_if_value": question.show_if_value,
                "attachments": files.get(question.id, []),
                "max_files": question.setting("max_files"),
                "counter": _counter(question, answers.get(question.id)),
                "rules": answer_input.rules_text(question),
            }


def _counter(question, value):
    """The word or character count shown under a limited text field."""
    if question.type == "long_text":
        limit = question.setting("limit")
        unit = question.value.get("limit_unit") or "words"
    elif question.type == "short_text":
        limit, unit = question.setting("max_length"), "characters"
    else:
        return None
    if limit is None:
        return None
    text = value if isinstance(value, str) else ""
    count = count_words(text) if unit == "words" else count_characters(text)
    return {"count": count, "limit": int(limit), "unit": unit, "over": count > limit}


class StartDossierForm(forms.Form):
    structure = forms.ModelChoiceField(
        queryset=None,
        label=_("Structure"),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose one of your structures.")},
    )

    def __init__(self, *args, structures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["structure"].queryset = structures


class WithdrawForm(forms.Form):
    comment = forms.CharField(
        label=_("Why do you withdraw? (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    confirm = forms.BooleanField(
        label=_("I understand that a withdrawn dossier cannot be submitted any more."),
        required=True,
        error_messages={"required": _("Please tick the box to confirm.")},
    )
