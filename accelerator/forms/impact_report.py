"""Forms of an impact report's page: the report itself (a value per indicator of the plan, typed
as text so that the domain reads French numbers, or marked not measured with a reason, and the
narrative), the staff's review, comments, evidence files and a correction's reason. They only
parse; `accelerator.domain.impact_reports` and `impact_records` decide."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accelerator.domain.impact_values import expected, input_value
from accelerator.models import ValueType

NARRATIVE_MAX = 10000
REASON_MAX = 2000
COMMENT_MAX = 4000
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def _textarea(rows):
    return forms.Textarea(attrs={"rows": rows})


def _value_field(indicator):
    kind = indicator.value_type
    help_text = f"{capfirst(expected(indicator))}."
    if kind == ValueType.YES_NO:
        return forms.ChoiceField(
            label=_("Value for this period"),
            choices=YES_NO,
            required=False,
            widget=forms.RadioSelect,
        )
    if kind == ValueType.TEXT:
        return forms.CharField(
            label=_("Value for this period"),
            required=False,
            strip=False,
            widget=_textarea(3),
            help_text=help_text,
        )
    return forms.CharField(
        label=_("Value for this period"),
        required=False,
        strip=False,
        # Text, not a number input: "1 250,50 €" and "12,5 %" are read by the domain.
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        help_text=help_text,
    )


class ReportForm(forms.Form):
    """One group of fields per row of the report (`accelerator.domain.impact_records.Row`):
    "value-<indicator pk>", "not_measured-<pk>" and "reason-<pk>", then the narrative."""

    def __init__(self, *args, rows, narrative="", **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            pk = row.indicator.pk
            value, not_measured, reason = None, False, ""
            if row.value is not None:
                value = input_value(row.indicator, row.value.value, row.value.text)
                not_measured, reason = row.value.not_measured, row.value.not_measured_reason
            self.fields[f"value-{pk}"] = _value_field(row.indicator)
            self.fields[f"value-{pk}"].initial = value
            self.fields[f"not_measured-{pk}"] = forms.BooleanField(
                label=_("Not measured this period"), required=False, initial=not_measured
            )
            self.fields[f"reason-{pk}"] = forms.CharField(
                label=_("Why it was not measured"),
                required=False,
                max_length=REASON_MAX,
                widget=_textarea(2),
                initial=reason,
            )
        self.fields["narrative"] = forms.CharField(
            label=_("Narrative"),
            required=False,
            max_length=NARRATIVE_MAX,
            widget=_textarea(8),
            initial=narrative,
            help_text=_("What happened during the period, what the figures mean, what is next."),
        )

    def groups(self):
        """(row, value field, not measured field, reason field) for each row, for the template."""
        return [
            (
                row,
                self[f"value-{row.indicator.pk}"],
                self[f"not_measured-{row.indicator.pk}"],
                self[f"reason-{row.indicator.pk}"],
            )
            for row in self.rows
        ]

    def entries(self):
        """What `save_report` takes: {indicator: (typed value, not measured, reason)}."""
        data = self.cleaned_data
        return {
            row.indicator: (
                data.get(f"value-{row.indicator.pk}") or "",
                data.get(f"not_measured-{row.indicator.pk}", False),
                data.get(f"reason-{row.indicator.pk}", ""),
            )
            for row in self.rows
        }

    def field_label(self, name):
        """The label the error summary gives field `name`: its indicator's name first."""
        kind, _sep, pk = name.partition("-")
        for row in self.rows:
            if str(row.indicator.pk) == pk:
                if kind == "value":
                    return str(row.indicator)
                return f"{row.indicator} — {self.fields[name].label}"
        return self.fields[name].label if name in self.fields else ""


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment for the structure"),
        required=False,
        max_length=COMMENT_MAX,
        widget=_textarea(4),
        help_text=_(
            "Required to send the report back: say what to change. It is sent to the "
            "structure with the e-mail."
        ),
    )


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Your comment"), max_length=COMMENT_MAX, widget=_textarea(4))


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "A PDF, an image or an office document that backs the figures (attendance sheets, "
            "invoices, a payroll summary)."
        ),
    )


class CorrectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Why does the validated report need a correction?"),
        max_length=REASON_MAX,
        widget=_textarea(3),
        help_text=_(
            "A new version is opened with the same figures; the validated one stays in force "
            "until the correction is validated."
        ),
    )
