"""Forms of regulatory obstacles: reporting one, moving it, filtering the staff file.

Whether a text is required is the domain's rule (`accelerator.domain.obstacles`): these forms
only carry what was typed, and the views put the domain's refusals back next to the fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accelerator.models import Cohort, ObstacleState

# Long enough for an article quoted in full, short enough to keep the file readable.
TEXT_LIMIT = 10_000

MOVE_LABELS = {
    "review": _("Start the review"),
    "escalate": _("Escalate to the authorities"),
    "resolve": _("Mark as resolved"),
    "close": _("Close"),
}


def _area(rows, placeholder=""):
    return forms.Textarea(attrs={"rows": rows, "placeholder": placeholder})


class ObstacleForm(forms.Form):
    regulation = forms.CharField(
        label=_("Regulation concerned"),
        required=False,
        max_length=TEXT_LIMIT,
        help_text=_("The text concerned: code, article, decree, local rule."),
        widget=_area(3, _("For example: Code de l'action sociale et des familles, art. L. 312-1")),
    )
    blocks = forms.CharField(
        label=_("What it blocks"),
        required=False,
        max_length=TEXT_LIMIT,
        help_text=_("What your project cannot do because of it, in a few sentences."),
        widget=_area(4),
    )
    proposed_change = forms.CharField(
        label=_("Proposed change"),
        required=False,
        max_length=TEXT_LIMIT,
        help_text=_("Optional: what would lift the obstacle (an exemption, a new wording)."),
        widget=_area(3),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Marked as required for the reader (a star, aria-required); the check itself is the
        # domain's, whose messages say what to write.
        for name in ("regulation", "blocks"):
            self.fields[name].widget.attrs["aria-required"] = "true"
            self.fields[name].marked_required = True


class ObstacleMoveForm(forms.Form):
    """One move of an obstacle: the button pressed names the transition."""

    transition = forms.ChoiceField(choices=list(MOVE_LABELS.items()), widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=TEXT_LIMIT,
        help_text=_("Required for every move: the structure reads it in its e-mail."),
        widget=_area(4),
    )


class ObstacleFilterForm(forms.Form):
    """The filters of the staff file, read from the query string."""

    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("All states")), *ObstacleState.choices],
    )
    cohort = forms.ModelChoiceField(
        label=_("Cohort"),
        required=False,
        queryset=Cohort.objects.order_by("-year", "name"),
        empty_label=_("All cohorts"),
    )

    def filters(self):
        """The cleaned filters, empty when the query string is invalid (the whole file shows)."""
        if not self.is_valid():
            return {"state": None, "cohort": None}
        return {
            "state": self.cleaned_data.get("state") or None,
            "cohort": self.cleaned_data.get("cohort"),
        }
