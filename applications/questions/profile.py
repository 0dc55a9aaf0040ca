"""Questions linked to a field of the structure's profile: staff pick the field in the form
builder (the block's optional "profile_field"), and the dossier then pre-fills the answer from the
profile and warns when it differs (`applications.domain.profile_answers`). Only the kinds that can
hold a field's value offer it."""

from django.utils.translation import gettext_lazy
from wagtail import blocks

EMPLOYEES = "employees"
ANNUAL_BUDGET = "annual_budget"
ESUS = "esus_approved"
DEPARTMENT = "department"

# What staff read in the form builder's list.
LABELS = {
    EMPLOYEES: gettext_lazy("Employees (head count)"),
    ANNUAL_BUDGET: gettext_lazy("Annual budget (€)"),
    ESUS: gettext_lazy("ESUS agrément"),
    DEPARTMENT: gettext_lazy("Département"),
}

# The profile fields each kind of question can hold, by block name.
BY_KIND = {
    "number": (EMPLOYEES,),
    "money": (ANNUAL_BUDGET,),
    "yes_no": (ESUS,),
    "single_choice": (DEPARTMENT,),
    "short_text": (DEPARTMENT,),
}


def profile_field_block(kind_name):
    """The optional choice of a profile field, for the block of the kind `kind_name`."""
    return blocks.ChoiceBlock(
        choices=[(name, LABELS[name]) for name in BY_KIND[kind_name]],
        required=False,
        label=gettext_lazy("Answer from the structure's profile"),
        help_text=gettext_lazy(
            "The dossier is pre-filled with this field of the structure's profile, and the "
            "applicant is warned when the answer differs from it."
        ),
    )


def linked_field(question):
    """The profile field `question` is linked to, or "" (none, or one its kind cannot hold)."""
    name = str(question.value.get("profile_field") or "")
    return name if name in BY_KIND.get(question.type, ()) else ""
