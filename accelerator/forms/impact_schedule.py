"""The form of a cohort's reporting schedule: how often its structures report on their impact,
how many reports, whether the last one is the final report, and how long they have to send each.
It parses what staff type; `accelerator.domain.impact_schedule.save_schedule` saves it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accelerator.models import ReportingSchedule


def _number():
    # A text box: a phone shows its number pad, and a mistyped value stays as it was typed (a
    # number box would empty it).
    return forms.TextInput(attrs={"inputmode": "numeric"})


class ReportingScheduleForm(forms.ModelForm):
    # Bounds a programme would never go past: they catch a typo (60 reports, 300 months).
    every_months = forms.IntegerField(
        label=_("A report every (months)"),
        min_value=1,
        max_value=24,
        widget=_number(),
        help_text=_("Counted from the day each structure enters impact measurement."),
    )
    reports = forms.IntegerField(
        label=_("Number of reports"), min_value=1, max_value=12, widget=_number()
    )
    last_is_final = forms.BooleanField(
        label=_("The last report is the final report"),
        required=False,
        help_text=_("A structure becomes alumni once its final report is validated."),
    )
    due_within_days = forms.IntegerField(
        label=_("Due (days after the period ends)"), min_value=0, max_value=180, widget=_number()
    )

    class Meta:
        model = ReportingSchedule
        fields = ["every_months", "reports", "last_is_final", "due_within_days"]

    def full_clean(self):
        super().full_clean()
        # Assistive technologies announce the refused fields; the summary links to them.
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-invalid"] = "true"
