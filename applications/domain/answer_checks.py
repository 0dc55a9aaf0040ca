"""The checks of one answer against its question: what is wrong with it (a required answer
missing, a limit passed, a number, a date or a partner that cannot be read), assuming the
question applies; the form as a whole is checked by `completeness.problems`."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accelerator.identifiers import validate_siren_or_siret
from applications.blocks import PARTNER_KINDS
from applications.domain.answers import (
    count_characters,
    count_words,
    decimal_places,
    format_euros,
    format_number,
    is_blank,
    parse_date,
    parse_decimal,
    parse_yes_no,
)


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
