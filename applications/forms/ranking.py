"""Forms of a call's ranking: its filters and sort, read from the query string."""

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.domain.ranking import DEFAULT_SORT, RANKED_STATES, SORTS

SORT_CHOICES = [(key, key) for key in SORTS] + [(f"-{key}", f"-{key}") for key in SORTS]


class RankingFilterForm(forms.Form):
    """The filters and sort of a call's ranking and its exports, read from the query string."""

    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("All states")), *((state.value, state.label) for state in RANKED_STATES)],
    )
    disagreement = forms.BooleanField(label=_("Disagreement only"), required=False)
    min_reviews = forms.IntegerField(
        label=_("Minimum number of reviews"), required=False, min_value=0, max_value=1000
    )
    sort = forms.ChoiceField(required=False, choices=SORT_CHOICES, widget=forms.HiddenInput)

    def filters(self):
        """The cleaned filters, none when the query string is invalid (the whole ranking shows)."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "state": data.get("state") or None,
            "disagreement_only": bool(data.get("disagreement")),
            "min_reviews": data.get("min_reviews"),
        }

    def sort_key(self):
        if self.is_valid() and self.cleaned_data.get("sort"):
            return self.cleaned_data["sort"]
        return DEFAULT_SORT
