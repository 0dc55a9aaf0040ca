"""The building blocks of a call's application form, assembled by staff in the Wagtail admin."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError


class PartnerKind(blocks.ChoiceBlock):
    choices = [
        ("association", _("Association")),
        ("company", _("Company")),
        ("public_body", _("Public body")),
        ("university", _("University or research")),
        ("expert", _("Expert")),
        ("media", _("Media")),
    ]


PARTNER_KINDS = dict(PartnerKind.choices)


class FieldBlock(blocks.StructBlock):
    """What every question has: a label, help, a required flag and an optional display condition."""

    label = blocks.CharBlock(label=_("Label"), max_length=255)
    key = blocks.RegexBlock(
        regex=r"^[a-z][a-z0-9_]{0,39}$",
        required=False,
        label=_("Key"),
        help_text=_(
            "Optional short name (lowercase letters, digits, _) used by display conditions "
            "and exports."
        ),
        error_messages={"invalid": _("Use lowercase letters, digits and underscores only.")},
    )
    help_text = blocks.TextBlock(label=_("Help text"), required=False)
    required = blocks.BooleanBlock(label=_("Required"), required=False, default=True)
    show_if_key = blocks.CharBlock(
        label=_("Show only if the question with this key…"), required=False, max_length=40
    )
    show_if_value = blocks.CharBlock(label=_("…has this answer"), required=False, max_length=255)

    # The kind of answer this block collects, used by forms, completeness and exports.
    answer_kind = "text"

    class Meta:
        icon = "form"

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("show_if_key")) != bool(value.get("show_if_value")):
            raise StructBlockValidationError(
                block_errors={
                    "show_if_value": ValidationError(
                        _("A display condition needs both a key and an answer.")
                    )
                }
            )
        return value


class SectionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), max_length=255)
    help_text = blocks.TextBlock(label=_("Help text"), required=False)
    answer_kind = None

    class Meta:
        icon = "title"
        label = _("Section heading")


class ShortTextBlock(FieldBlock):
    max_length = blocks.IntegerBlock(label=_("Maximum characters"), required=False, min_value=1)

    class Meta:
        icon = "pilcrow"
        label = _("Short text")


class LongTextBlock(FieldBlock):
    limit_unit = blocks.ChoiceBlock(
        choices=[("words", _("words")), ("characters", _("characters"))],
        default="words",
        label=_("Limit in"),
    )
    limit = blocks.IntegerBlock(label=_("Limit"), required=False, min_value=1)

    class Meta:
        icon = "doc-full"
        label = _("Long text")


class NumberBlock(FieldBlock):
    min_value = blocks.DecimalBlock(label=_("Minimum"), required=False)
    max_value = blocks.DecimalBlock(label=_("Maximum"), required=False)
    integer_only = blocks.BooleanBlock(label=_("Whole numbers only"), required=False)
    answer_kind = "number"

    class Meta:
        icon = "order"
        label = _("Number")


class MoneyBlock(FieldBlock):
    min_value = blocks.DecimalBlock(label=_("Minimum (€)"), required=False)
    max_value = blocks.DecimalBlock(label=_("Maximum (€)"), required=False)
    answer_kind = "money"

    class Meta:
        icon = "tag"
        label = _("Amount in euros")


class DateBlock(FieldBlock):
    answer_kind = "date"

    class Meta:
        icon = "date"
        label = _("Date")


class YesNoBlock(FieldBlock):
    answer_kind = "yes_no"

    class Meta:
        icon = "tick-inverse"
        label = _("Yes / no")


class SingleChoiceBlock(FieldBlock):
    choices = blocks.ListBlock(blocks.CharBlock(max_length=255), label=_("Choices"), min_num=2)
    answer_kind = "choice"

    class Meta:
        icon = "radio-full"
        label = _("Single choice")


class MultipleChoiceBlock(FieldBlock):
    choices = blocks.ListBlock(blocks.CharBlock(max_length=255), label=_("Choices"), min_num=2)
    max_selected = blocks.IntegerBlock(label=_("At most"), required=False, min_value=1)
    answer_kind = "choices"

    class Meta:
        icon = "list-ul"
        label = _("Multiple choice")


class FileBlock(FieldBlock):
    max_files = blocks.IntegerBlock(
        label=_("At most (files)"), required=False, min_value=1, default=1
    )
    answer_kind = "files"

    class Meta:
        icon = "doc-empty"
        label = _("File")


class PartnersBlock(FieldBlock):
    min_rows = blocks.IntegerBlock(label=_("At least (partners)"), required=False, min_value=0)
    max_rows = blocks.IntegerBlock(label=_("At most (partners)"), required=False, min_value=1)
    answer_kind = "partners"

    class Meta:
        icon = "group"
        label = _("Partners table")


class ApplicationFormBlock(blocks.StreamBlock):
    section = SectionBlock()
    short_text = ShortTextBlock()
    long_text = LongTextBlock()
    number = NumberBlock()
    money = MoneyBlock()
    date = DateBlock()
    yes_no = YesNoBlock()
    single_choice = SingleChoiceBlock()
    multiple_choice = MultipleChoiceBlock()
    file = FileBlock()
    partners = PartnersBlock()

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


# The questions whose answer a display condition may test.
CONDITION_SOURCES = ("single_choice", "multiple_choice", "yes_no")


def _form_problems(stream):
    """The problems of a form's keys and display conditions, as {index: {field name: message}}.

    A question may only depend on an earlier choice or yes/no question, with one of its answers;
    keys are unique. Messages name the key and say what to do.
    """
    questions = [
        (index, child.block.name, child.value)
        for index, child in enumerate(stream)
        if child.block.name != "section"
    ]
    all_keys = {value.get("key") for _index, _name, value in questions} - {"", None}

    problems = {}
    earlier = {}
    for index, block_name, value in questions:
        found = {}
        key, condition = value.get("key"), value.get("show_if_key")
        if key and key in earlier:
            found["key"] = _(
                "Another question already uses the key “%(key)s”. Give each question its own key."
            ) % {"key": key}
        if condition:
            source = earlier.get(condition)
            if condition == key:
                found["show_if_key"] = _("A question cannot depend on itself.")
            elif source is None and condition in all_keys:
                found["show_if_key"] = _(
                    "The question “%(key)s” comes after this one. A question can only depend on "
                    "an earlier question: move “%(key)s” above it."
                ) % {"key": condition}
            elif source is None:
                found["show_if_key"] = _(
                    "No question has the key “%(key)s”. Check the spelling, or give this key to "
                    "the question it depends on."
                ) % {"key": condition}
            elif source[0] not in CONDITION_SOURCES:
                found["show_if_key"] = _(
                    "The question “%(key)s” is not a choice or a yes/no question; a display "
                    "condition can only test one of those."
                ) % {"key": condition}
            else:
                message = _condition_value_problem(source, condition, value.get("show_if_value"))
                if message:
                    found["show_if_value"] = message
        if key and key not in earlier:
            earlier[key] = (block_name, value)
        if found:
            problems[index] = found
    return problems


def _condition_value_problem(source, condition, expected):
    # Read the expected answer exactly as a dossier's answers are read when the form is filled in.
    from applications.domain.answers import parse_yes_no

    block_name, value = source
    if block_name == "yes_no":
        if parse_yes_no(expected or "") is None:
            return _("For the yes/no question “%(key)s”, write “yes” or “no”.") % {"key": condition}
        return None
    choices = [str(choice) for choice in value.get("choices") or []]
    wanted = (expected or "").strip().casefold()
    if wanted not in {choice.strip().casefold() for choice in choices}:
        return _("“%(answer)s” is not one of the choices of “%(key)s”: %(choices)s.") % {
            "answer": expected,
            "key": condition,
            "choices": ", ".join(f"“{choice}”" for choice in choices),
        }
    return None


class TimelineStepBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("Step"), max_length=255)
    date = blocks.DateBlock(label=_("Date"))
    description = blocks.TextBlock(label=_("Description"), required=False)

    class Meta:
        icon = "date"
        label = _("Timeline step")
