"""Forms of the impact page: a line of the plan (one form to add an indicator or change its line:
the indicator chosen says which) and the figures a structure consents to publish. They only
parse; values are read in the indicator's type by `accelerator.domain.impact_plans`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accelerator.domain.impact_values import expected, input_value
from accelerator.forms.journey import DateInput


class PlanLineForm(forms.Form):
    indicator = forms.ModelChoiceField(
        label=_("Indicator"), queryset=None, empty_label=_("Choose an indicator")
    )
    baseline = forms.CharField(
        label=_("Baseline"),
        required=False,
        max_length=2000,
        help_text=_(
            "Where the structure starts, in the indicator's unit: “12,5”, “1 250 €”, “45 %”, “oui”."
        ),  # fmt: skip
    )
    baseline_on = forms.DateField(label=_("Baseline date"), required=False, widget=DateInput())
    target = forms.CharField(
        label=_("Target"),
        required=False,
        max_length=2000,
        help_text=_("Where it aims to be, in the same unit."),
    )
    target_on = forms.DateField(label=_("Target date"), required=False, widget=DateInput())

    def __init__(self, *args, indicators, line=None, **kwargs):
        """`indicators` may be chosen; `line` is the plan's line this form changes (its
        indicator is then fixed), None to add one. Ids stay unique on a page of many forms."""
        if line is not None:
            indicator = line.indicator
            kwargs.setdefault("auto_id", f"id_line{line.pk}_%s")
            kwargs.setdefault(
                "initial",
                {
                    "indicator": indicator.pk,
                    "baseline": input_value(indicator, line.baseline_value, line.baseline_text),
                    "baseline_on": line.baseline_on,
                    "target": input_value(indicator, line.target_value, line.target_text),
                    "target_on": line.target_on,
                },
            )
        else:
            kwargs.setdefault("auto_id", "id_add_%s")
        super().__init__(*args, **kwargs)
        self.line = line
        self.fields["indicator"].queryset = indicators
        if line is not None:
            self.fields["indicator"].widget = forms.HiddenInput()
            hint = expected(line.indicator)
            self.fields["baseline"].help_text = _("Enter %(expected)s.") % {"expected": hint}
            self.fields["target"].help_text = _("Enter %(expected)s.") % {"expected": hint}


class PublicationForm(forms.Form):
    public = forms.ModelMultipleChoiceField(
        label=_("Figures that may be shown publicly"), queryset=None, required=False
    )

    def __init__(self, *args, figures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["public"].queryset = figures
