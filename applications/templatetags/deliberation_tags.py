"""What an applicant is shown of a dossier's state: no decision before its letter is released."""

from django import template

from applications.domain.deliberation import state_shown_to_applicant

register = template.Library()


@register.filter
def shown_state(dossier):
    """The state shown to the structure (a DossierState: `.value` and `.label`). Select_related
    `decision_letter` when listing dossiers, so that this costs no query."""
    return state_shown_to_applicant(dossier)
