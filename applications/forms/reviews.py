"""Forms of a juror's review: the call's evaluation grid as fields, read back as the domain's
input."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accelerator.domain.refusals import Refused
from applications.domain.reviews import COMMENT_MAX_LENGTH, NOT_APPLICABLE, ReviewInput, ScoreInput
from applications.models import Recommendation


def score_field(criterion):
    return f"score_{criterion.pk}"


def comment_field(criterion):
    return f"comment_{criterion.pk}"


class ReviewForm(forms.Form):
    """The review form built from the call's evaluation grid. Fields only carry what was typed;
    the domain (`save_review`) judges it, so every caller gets the same rules and messages."""

    recommendation = forms.CharField(
        label=gettext_lazy("Should this dossier be selected for the programme?"),
        help_text=gettext_lazy("Your overall recommendation, whatever the scores above."),
        required=False,
        widget=forms.RadioSelect(choices=Recommendation.choices),
    )
    comment = forms.CharField(
        label=gettext_lazy("Overall comment"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    private_note = forms.CharField(
        label=gettext_lazy("Private note for the staff"),
        help_text=gettext_lazy("Only the programme staff read it: other jurors never do."),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    OVERALL = ("recommendation", "comment", "private_note")

    def __init__(self, criteria, *args, read_only=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            choices = [
                (str(value), str(value))
                for value in range(criterion.scale_min, criterion.scale_max + 1)
            ]
            if criterion.allow_not_applicable:
                choices.append((NOT_APPLICABLE, _("Not applicable")))
            self.fields[score_field(criterion)] = forms.CharField(
                label=criterion.title,
                required=False,
                widget=forms.RadioSelect(choices=choices),
            )
            self.fields[comment_field(criterion)] = forms.CharField(
                label=_("Comment on “%(criterion)s”") % {"criterion": criterion.title},
                required=False,
                max_length=COMMENT_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        # The page's order, the error summary's too: the grid first, then the overall opinion.
        self.order_fields([name for name in self.fields if name not in self.OVERALL])
        if read_only:
            self.make_read_only()

    def make_read_only(self):
        # Disabled through the widget, not the field: a bound form still shows what was typed.
        for form_field in self.fields.values():
            form_field.widget.attrs["disabled"] = True

    @staticmethod
    def initial_from(review):
        if review is None:
            return {}
        initial = {
            "recommendation": review.recommendation,
            "comment": review.comment,
            "private_note": review.private_note,
        }
        for score in review.scores.all():
            value = NOT_APPLICABLE if score.not_applicable else score.value
            initial[f"score_{score.criterion_id}"] = "" if value is None else str(value)
            initial[f"comment_{score.criterion_id}"] = score.comment
        return initial

    def review_input(self):
        data = self.cleaned_data
        scores = {}
        for criterion in self.criteria:
            raw = (data.get(score_field(criterion)) or "").strip()
            scores[criterion.pk] = ScoreInput(
                value=None if raw in ("", NOT_APPLICABLE) else raw,
                not_applicable=raw == NOT_APPLICABLE,
                comment=data.get(comment_field(criterion)) or "",
            )
        return ReviewInput(
            scores=scores,
            recommendation=data.get("recommendation") or "",
            comment=data.get("comment") or "",
            private_note=data.get("private_note") or "",
        )

    def on_fields(self, refusal):
        """`refusal` with each criterion's messages tied to its score field: the domain names a
        criterion by its pk."""
        if not hasattr(refusal, "error_dict"):
            return refusal
        names = {criterion.pk: score_field(criterion) for criterion in self.criteria}
        return Refused({names.get(key, key): errors for key, errors in refusal.error_dict.items()})

    def typed_values(self):
        """{criterion pk: the score shown checked on the page, or None}: what the juror typed on
        a refused submit, what was saved otherwise. Read by the page's weighted total."""
        values = {}
        for criterion in self.criteria:
            raw = str(self[score_field(criterion)].value() or "").strip()
            try:
                value = int(raw)
            except ValueError:
                value = None
            if value is not None and not criterion.scale_min <= value <= criterion.scale_max:
                value = None
            values[criterion.pk] = value
        return values

    def rows(self):
        """One row per criterion: the criterion, its score field and its comment field."""
        return [
            {
                "criterion": criterion,
                "score": self[score_field(criterion)],
                "comment": self[comment_field(criterion)],
            }
            for criterion in self.criteria
        ]
