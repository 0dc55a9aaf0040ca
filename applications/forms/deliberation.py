"""Forms of the deliberation: a shortlist with its audition, and a decision with its rationale."""

from django import forms
from django.utils.translation import gettext_lazy

from applications.forms.staff import ParisDateTimeField


class ShortlistForm(forms.Form):
    audition_at = ParisDateTimeField(
        label=gettext_lazy("Audition (Paris time)"),
        required=False,
        help_text=gettext_lazy("Optional: you can plan it later."),
    )
    notes = forms.CharField(
        label=gettext_lazy("Notes for the audition"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("For the staff: the structure does not see them."),
    )


class DecisionForm(forms.Form):
    # Required by the domain (the dossier machine's conditions), so the rule and its message
    # live in one place.
    rationale = forms.CharField(
        label=gettext_lazy("Rationale"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4, "required": True}),
        help_text=gettext_lazy(
            "Why this decision. The log keeps it with your name; the structure can read it "
            "once the decision letters are released."
        ),
    )
