"""Forms of the staff side: list filters, transitions, requests for information, personal
deadline extensions."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accelerator.forms.widgets import QuickSelect
from accelerator.models import Department, LegalForm
from applications.models import DossierState

PARIS = ZoneInfo("Europe/Paris")


class DossierFilterForm(forms.Form):
    """The filters of a call's dossiers list and export, read from the query string."""

    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All states")), *DossierState.choices]
    )
    department = forms.ModelChoiceField(
        label=_("Département"),
        required=False,
        queryset=Department.objects.none(),
        to_field_name="code",
        empty_label=_("All départements"),
        widget=QuickSelect,
    )
    legal_form = forms.ChoiceField(
        label=_("Legal form"),
        required=False,
        choices=[("", _("All legal forms")), *LegalForm.choices],
    )
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Structure name, SIRET or reference")}
        ),
    )

    def __init__(self, data=None, *, call, **kwargs):
        super().__init__(data, **kwargs)
        # Only the départements that the call's dossiers come from: a short, useful list.
        self.fields["department"].queryset = Department.objects.filter(
            structures__dossiers__call=call
        ).distinct()

    def filters(self):
        """The cleaned filters, empty when the query string is invalid (the whole list shows)."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "state": data.get("state") or None,
            "department": data.get("department"),
            "legal_form": data.get("legal_form") or None,
            "search": data.get("q") or None,
        }


class ParisDateTimeField(forms.DateTimeField):
    """A date and time typed and shown in Europe/Paris, whatever the active time zone."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]

    def to_python(self, value):
        with timezone.override(PARIS):
            return super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, datetime) and timezone.is_aware(value):
            value = value.astimezone(PARIS).replace(tzinfo=None)
        return value


class TransitionForm(forms.Form):
    """A comment for a staff transition; whether it is required is the domain's rule."""

    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class RequestInfoForm(TransitionForm):
    """A request for information: what to add, and by when (the domain refuses a past date)."""

    reply_by = forms.DateField(
        label=_("Reply expected by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The structure is reminded before this date. Empty: in 14 days."),
    )


class ExtensionForm(forms.Form):
    until = ParisDateTimeField(
        label=_("New deadline (Paris time)"),
        help_text=_("Must be after the call's closing time."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The structure's members receive it by e-mail with their new deadline."),
    )
