"""The dossier form, built from the definition a dossier answers, each field asked of its
question's kind; the applicant's small forms.

Every field of the dossier form accepts what was typed, valid or not: a draft is saved as it is.
Whether the answers may be submitted is decided by the domain (`completeness.problems`), whose
messages the view places next to each field with `add_problems`. The answers the structure's
profile gives (`profile_answers.prefill`) are shown in their blank fields, and stored by the next
save; its warnings (`profile_answers.contradictions`) are shown next to their fields.
"""

import json

from django import forms
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

from applications.domain.form_definition import SECTION, conditions, questions, visible_ids
from applications.questions.profile import linked_field
from applications.questions.values import (
    has_control_characters,
    is_blank,
    strip_control_characters,
)

# One hidden input listing the questions the page shows, so that a save tells "a box left
# unticked" (listed, no value) from "a question this request does not carry" (neither). One input,
# not one per question, so the marker adds a single field towards DATA_UPLOAD_MAX_NUMBER_FIELDS.
PRESENT = "_present"


def _getlist(data, name):
    if hasattr(data, "getlist"):
        return data.getlist(name)
    value = data.get(name, [])
    return value if isinstance(value, list) else [value]


def _without_control_characters(data):
    """A copy of the posted data with no control character, and the names whose values held one."""
    cleaned, touched = MultiValueDict(), set()
    for name in data:
        values = []
        for value in _getlist(data, name):
            if has_control_characters(value):
                value = strip_control_characters(value)
                touched.add(name.split(".", 1)[0])
            values.append(value)
        cleaned.setlist(strip_control_characters(str(name)), values)
    return cleaned, touched


class DossierForm(forms.Form):
    """The questions of one form definition, as Django fields named by block id; each question's
    kind (`applications.questions`) gives its field, reads what was typed and shows the answer.

    A bound form changes only the answers its data carries and changes: a question is carried
    when its field's name or its PRESENT marker is in the data, and changed when what was sent
    differs from what the page showed. So an answer the page could not show (written for a
    former version of the question) is never erased by a save that did not touch it. Answers
    refused by their kind's hard caps (`refused`) keep their stored value and are shown, as
    typed, with the reason.
    """

    def __init__(self, definition, *args, answers=None, attachments=None, prefill=None, **kwargs):
        self.definition = definition or []
        self.questions = questions(self.definition)
        self.stored_answers = dict(answers or {})
        # Answers from the structure's profile for blank questions: shown, not stored yet.
        self.prefilled = {
            key: value
            for key, value in (prefill or {}).items()
            if is_blank(self.stored_answers.get(key))
        }
        # {question id: message} of answers that differ from the profile, set by the view.
        self.warnings = {}
        self.attachments = list(attachments or [])
        self.refused = {}
        self.control_characters_removed = set()
        self._answers = None
        self._sent_names = set()
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
        shown = {**self.stored_answers, **self.prefilled}
        initial = {
            q.id: q.kind.input_text(q, q.answer(shown))
            for q in self.questions
            if q.kind.stores_answer
        }
        super().__init__(data, *args, initial=initial, **kwargs)
        for question in self.questions:
            self.fields[question.id] = self._field(question)

    # --- building --------------------------------------------------------------------------

    def _field(self, question):
        attrs = {}
        if question.required:
            attrs["aria-required"] = "true"
        if question.kind.rules(question):
            described = [f"id_{question.id}_helptext"] if question.help_text else []
            attrs["aria-describedby"] = " ".join([*described, f"id_{question.id}_rules"])
        return question.kind.field(question, attrs)

    def clean(self):
        # Files are checked and stored by the view through the domain, one by one.
        for question in self.questions:
            if not question.kind.stores_answer:
                self.cleaned_data.pop(question.id, None)
        return super().clean()

    # --- reading -----------------------------------------------------------------------------

    def answers(self):
        """The answers to store: what was typed, normalised where it can be read. Answers to
        questions this form does not ask (any more), that this request does not carry or does
        not change, or that are refused (see `refused`), are kept as they were."""
        if not self.is_bound:
            return dict(self.stored_answers)
        if self._answers is None:
            self._answers = self._read()
            for field_id, messages in self.refused.items():
                for message in messages:
                    self.add_error(field_id, message)
        return dict(self._answers)

    def _carried(self, question, present):
        # A field sends its name, a table of columns "<name>.<column>"; unticked boxes send
        # nothing, which the PRESENT marker tells from a question this request does not carry.
        return question.id in present or question.id in self._sent_names

    def _changed(self, question):
        field = self.fields[question.id]
        if question.id in self.prefilled:
            # Shown from the profile but not stored: what was sent is new to the dossier.
            stored = question.kind.input_text(question, question.answer(self.stored_answers))
            return field.has_changed(stored, self[question.id].data)
        initial = self.get_initial_for_field(field, question.id)
        return field.has_changed(initial, self[question.id].data)

    def _typed(self, question):
        if self.errors.get(question.id) is None and question.id in self.cleaned_data:
            return self.cleaned_data[question.id]
        # A field Django refused keeps what was sent: a draft never drops a typed answer.
        return self[question.id].data

    def _read(self):
        known = {q.id for q in self.questions}
        result = {k: v for k, v in self.stored_answers.items() if k not in known}
        present = set(" ".join(_getlist(self.data, PRESENT)).split())
        self._sent_names = {str(name).split(".", 1)[0] for name in self.data}
        for question in self.questions:
            kind = question.kind
            stored = self.stored_answers.get(question.id)
            if kind.stores_answer and self._carried(question, present) and self._changed(question):
                typed = self._typed(question)
                refused = kind.refusals(question, typed)
                if refused:
                    self.refused[question.id] = refused
                else:
                    stored = kind.normalise(question, typed)
            if not is_blank(stored):
                result[question.id] = stored
        return result

    def present_marker(self):
        """(name, value) of the hidden input listing the questions this form shows."""
        shown = " ".join(q.id for q in self.questions if q.kind.stores_answer)
        return {"name": PRESENT, "value": shown}

    def stripped_labels(self):
        """The labels of the questions whose answer lost invisible control characters."""
        return [q.label for q in self.questions if q.id in self.control_characters_removed]

    def current_answers(self):
        """The answers shown: what was typed when the form is bound, else what is stored."""
        if self.is_bound and hasattr(self, "cleaned_data"):
            return self.answers()
        return {**self.stored_answers, **self.prefilled}

    def anchor(self, question_id):
        """The id of the element a link to the question `question_id` moves the focus to: its
        input, the first of a group's, the first cell of a partners table."""
        # The same target as the error summary's links (accelerator/templatetags/form_errors.py).
        bound = self[question_id]
        return f"{bound.auto_id}_0" if bound.use_fieldset else bound.auto_id

    def _described_by(self, question, field, item):
        """The ids that describe the question's field: help, rules, profile note, warning,
        errors; on the fieldset of a group, on the input otherwise."""
        ids = []
        if question.help_text:
            ids.append(f"{field.auto_id}_helptext")
        if item["rules"]:
            ids.append(f"{field.auto_id}_rules")
        if item["profile_field"]:
            ids += [f"{field.auto_id}_profile", f"{field.auto_id}_warning"]
        if field.errors:
            ids.append(f"{field.auto_id}_error")
        return " ".join(ids)

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
        tested = conditions(self.definition)
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
            condition = tested.get(question.id)
            item = {
                "kind": "question",
                "question": question,
                "layout": question.kind.layout,
                "field": self[question.id],
                "visible": question.id in shown,
                "condition": condition,
                # Read by the page's script: the answers that show the question, as JSON.
                "show_if_answers": json.dumps(list(condition.answers)) if condition else "",
                "attachments": files.get(question.id, []),
                "max_files": question.setting("max_files"),
                "counter": question.kind.counter(question, question.answer(answers)),
                "rules": question.kind.rules(question),
                "profile_field": linked_field(question),
                "prefilled": question.id in self.prefilled and not self.is_bound,
                "warning": self.warnings.get(question.id, ""),
            }
            field = item["field"]
            described = self._described_by(question, field, item)
            attrs = field.field.widget.attrs
            if question.kind.layout == "fieldset":
                # A group is described on its fieldset (RGAA 11.5), not on each of its inputs.
                attrs.pop("aria-describedby", None)
                item["described_by"] = described
            elif described:
                attrs["aria-describedby"] = described
            else:
                attrs.pop("aria-describedby", None)
            yield item


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
