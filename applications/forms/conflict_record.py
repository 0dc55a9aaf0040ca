"""The staff's form to record a declaration for a juror, with the dossier typed by reference: a
list of every dossier of a national call (thousands of options) would weigh on every jury page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.forms.jury import RecordConflictForm
from applications.models import Dossier


class DossierReferenceField(forms.CharField):
    """A dossier of the form's queryset, typed by its reference (the suggestions' buttons post its
    id, which is accepted too)."""

    def __init__(self, *args, **kwargs):
        self.queryset = Dossier.objects.none()
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        found = self.queryset.filter(reference__iexact=value).first()
        if found is None and value.isdigit():
            found = self.queryset.filter(pk=int(value)).first()
        if found is None:
            raise forms.ValidationError(
                _("No dossier of this call has the reference “%(reference)s”."),
                params={"reference": value},
                code="unknown",
            )
        return found


class StaffConflictForm(RecordConflictForm):
    """`RecordConflictForm` with the dossier typed by reference."""

    dossier = DossierReferenceField(
        label=_("Dossier reference"),
        max_length=30,
        help_text=_("As shown in the lists of dossiers, e.g. D-00042."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    field_order = ["juror", "dossier", "kind", "details"]

    def __init__(self, call, *args, **kwargs):
        super().__init__(call, *args, **kwargs)
        self.fields["dossier"].queryset = Dossier.objects.filter(call=call).exclude(
            state__in=["draft", "withdrawn"]
        )
