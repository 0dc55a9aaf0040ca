"""The call's application form as staff assemble it in the Wagtail admin: one block per kind of
question (`applications.questions`), the checks of the form as a whole (display conditions), and
the call's timeline steps."""

import json

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from applications.questions import KINDS, Question
from applications.questions.choices import with_choice_ids
from applications.questions.conditions import upgrade_conditions


class ApplicationFormBlock(blocks.StreamBlock):
    """The questions and sections of a call's form, one child block per kind, in KINDS' order."""

    def __init__(self, local_blocks=None, **kwargs):
        if local_blocks is None:
            local_blocks = [(name, kind.block()) for name, kind in KINDS.items()]
        super().__init__(local_blocks, **kwargs)

    def to_python(self, value):
        # A revision or a snapshot with display conditions written the former way (by key) is
        # read with today's conditions, and the editor shows those; plain-string choices keep
        # their label as key. A revision holds JSON text.
        if isinstance(value, str) and value:
            try:
                value = json.loads(value)
            except ValueError:
                return super().to_python(value)
        if isinstance(value, list):
            value = with_choice_ids(upgrade_conditions(value))
        return super().to_python(value)

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        for index, problems in _form_problems(value).items():
            errors[index] = StructBlockValidationError(
                block_errors={name: ValidationError(message) for name, message in problems.items()}
            )
        if errors:
            raise blocks.StreamBlockValidationError(block_errors=errors)
        return value


def _questions(stream):
    """(index, Question) of every child of `stream`, read from its raw value so that choices
    have their keys."""
    found = []
    for index, child in enumerate(stream):
        raw = child.block.get_prep_value(child.value)
        found.append((index, Question(id=str(child.id or ""), type=child.block.name, value=raw)))
    return found


def _name(question):
    return question.label or question.value.get("heading") or "?"


def _form_problems(stream):
    """The problems of a form's display conditions, as {index: {field name: message}}.

    A question may only depend on an earlier choice or yes/no question, with some of its current
    answers ("is": exactly one). Messages name the questions by their label and say what to do.
    """
    children = _questions(stream)
    position = {question.id: index for index, question in children if question.id}
    by_id = {question.id: question for _index, question in children if question.id}
    problems = {}
    for index, question in children:
        if question.type == "section":
            continue
        found = _condition_problems(question, index, position, by_id)
        if found:
            problems[index] = found
    return problems


def _condition_problems(question, index, position, by_id):
    condition = question.condition
    if condition is None:
        if str(question.value.get("show_if_answers") or "").strip():
            return {
                "show_if_question": _(
                    "Choose the question whose answer shows this one, or remove the answers."
                )
            }
        return {}
    source = by_id.get(condition.question_id)
    if condition.question_id == question.id:
        return {"show_if_question": _("A question cannot depend on itself.")}
    if source is None:
        return {
            "show_if_question": _(
                "The question this one depends on is no longer in the form: choose another one, "
                "or remove the condition."
            )
        }
    label = _name(source)
    if position[source.id] > index:
        return {
            "show_if_question": _(
                "The question “%(label)s” comes after this one. A question can only depend on an "
                "earlier question: move “%(label)s” above it."
            )
            % {"label": label}
        }
    if not source.kind.condition_source:
        return {
            "show_if_question": _(
                "The question “%(label)s” is not a choice or a yes/no question; a display "
                "condition can only test one of those."
            )
            % {"label": label}
        }
    message = _answers_problem(source, condition)
    return {"show_if_answers": message} if message else {}


def _answers_problem(source, condition):
    answers = condition.answers
    if not answers:
        return _("Choose at least one answer of “%(label)s” that shows this question.") % {
            "label": _name(source)
        }
    if condition.operator == "is" and len(answers) > 1:
        return _("“is” takes exactly one answer: choose “is one of” to give several.")
    options = source.kind.condition_answers(source)
    keys = {choice.key for choice in options}
    unknown = [answer for answer in answers if answer not in keys]
    if unknown:
        return _("“%(answer)s” is not one of the choices of “%(label)s”: %(choices)s.") % {
            "answer": unknown[0],
            "label": _name(source),
            "choices": ", ".join(f"“{choice.label}”" for choice in options),
        }
    return None


class TimelineStepBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=gettext_lazy("Step"), max_length=255)
    date = blocks.DateBlock(label=gettext_lazy("Date"))
    description = blocks.TextBlock(label=gettext_lazy("Description"), required=False)

    class Meta:
        icon = "date"
        label = gettext_lazy("Timeline step")
