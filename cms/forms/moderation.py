"""The moderator's decision on a proposal, in the Wagtail admin."""

from django import forms
from django.utils.translation import gettext_lazy as _

MOVES = [
    ("approve", _("Publish")),
    ("request_changes", _("Ask for changes")),
    ("reject", _("Reject")),
]


class ModerationForm(forms.Form):
    move = forms.ChoiceField(label=_("Decision"), choices=MOVES, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Message to the proposer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required to ask for changes or to reject: say what to change, or why."),
    )
