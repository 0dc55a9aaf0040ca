"""What the structure's profile answers for the dossier: the questions staff linked to a profile
field (`applications.questions.profile`) are pre-filled with its value, and an answer that
differs from the profile draws a warning. A warning never holds a dossier back: the profile may
be out of date, and the person says which is right."""

import re
import unicodedata
from decimal import Decimal

from django.utils.translation import gettext as _

from applications.domain.form_definition import questions
from applications.questions.choices import key_for
from applications.questions.profile import ANNUAL_BUDGET, DEPARTMENT, EMPLOYEES, ESUS, linked_field
from applications.questions.values import format_euros, format_number, is_blank, parse_decimal
from applications.questions.yes_no import NO, YES, yes_no_word


def _plain(text):
    """`text` without accents, case or surrounding spaces: "Eure-et-Loir" reads "eure-et-loir"."""
    decomposed = unicodedata.normalize("NFKD", str(text or ""))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def _names(text, word):
    """Whether `text` names `word` on its own: "Indre (36)" names "indre", "Indre-et-Loire" not."""
    return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text) is not None


def _names_department(text, department):
    text = _plain(text)
    return bool(text) and (
        _names(text, _plain(department.name)) or _names(text, _plain(department.code))
    )


def _department_key(question, department):
    """The key of the choice of `question` naming `department` ("Loiret", "45 — Loiret"), or
    None when no choice names it alone."""
    found = [c.key for c in question.choices if _names_department(c.label, department)]
    return found[0] if len(found) == 1 else None


def profile_answer(question, structure):
    """The answer the profile of `structure` gives `question`, as a dossier stores it; None when
    the question is not linked or the profile says nothing."""
    field = linked_field(question)
    if field == EMPLOYEES and structure.employees is not None:
        return str(structure.employees)
    if field == ANNUAL_BUDGET and structure.annual_budget is not None:
        return str(Decimal(structure.annual_budget).quantize(Decimal("0.01")))
    if field == ESUS:
        return YES if structure.esus_approved else NO
    if field == DEPARTMENT and structure.department_id:
        if question.type == "single_choice":
            return _department_key(question, structure.department)
        return f"{structure.department.name} ({structure.department.code})"
    return None


def prefill(definition, answers, structure):
    """{question id: the profile's answer} for the linked questions `answers` leave blank."""
    filled = {}
    for question in questions(definition):
        if not linked_field(question) or not is_blank((answers or {}).get(question.id)):
            continue
        value = profile_answer(question, structure)
        if not is_blank(value):
            filled[question.id] = value
    return filled


def _differs(question, answer, structure):
    """(what the answer says, what the profile says) when they differ, else None."""
    field = linked_field(question)
    if field in (EMPLOYEES, ANNUAL_BUDGET):
        profile = structure.employees if field == EMPLOYEES else structure.annual_budget
        typed = parse_decimal(answer)
        if profile is None or typed is None or typed == Decimal(profile):
            return None
        show = format_number if field == EMPLOYEES else format_euros
        return show(typed), show(Decimal(profile))
    if field == ESUS:
        typed = yes_no_word(answer)
        if typed is None or (typed == YES) == bool(structure.esus_approved):
            return None
        return (_("Yes") if typed == YES else _("No")), (
            _("Yes") if structure.esus_approved else _("No")
        )
    if field == DEPARTMENT and structure.department_id:
        department = structure.department
        if question.type == "single_choice":
            expected = _department_key(question, department)
            if expected is None or key_for(question, answer) in (None, expected):
                return None
            typed = question.choice_label(key_for(question, answer))
        elif _names_department(answer, department):
            return None
        else:
            typed = answer
        return typed, f"{department.name} ({department.code})"
    return None


def contradictions(definition, answers, structure, shown=None):
    """{question id: the warning} for every answer in `answers` that differs from the profile of
    `structure`, in the active language; `shown` limits them to the questions on the page."""
    warnings = {}
    for question in questions(definition):
        if not linked_field(question) or (shown is not None and question.id not in shown):
            continue
        answer = question.answer(answers or {})
        if is_blank(answer):
            continue
        found = _differs(question, answer, structure)
        if found:
            # The structure is not named: "du profil de Le Hangar" is no French.
            warnings[question.id] = _(
                "This answer (%(answer)s) differs from your structure's profile "
                "(%(field)s: %(profile)s). Check which is right; if the profile is out of date, "
                "correct it."
            ) % {
                "answer": found[0],
                "field": _field_name(linked_field(question)),
                "profile": found[1],
            }
    return warnings


def _field_name(field):
    return {
        EMPLOYEES: _("employees"),
        ANNUAL_BUDGET: _("annual budget"),
        ESUS: _("ESUS agrément"),
        DEPARTMENT: _("département"),
    }[field]
