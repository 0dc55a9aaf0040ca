"""Forms of giving dossiers to jurors: the automatic assignment and the lines ticked by hand."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class AutoAssignForm(forms.Form):
    per_dossier = forms.IntegerField(
        label=gettext_lazy("Jurors per dossier"), min_value=1, max_value=20
    )
    cap = forms.IntegerField(
        label=gettext_lazy("Maximum dossiers per juror"),
        min_value=1,
        required=False,
        help_text=gettext_lazy(
            "Leave empty for no limit. A juror's own maximum, when set, takes precedence."
        ),
    )


class PickForm(forms.Form):
    """Several dossiers (or jurors) to add at once, so the juror gets one e-mail for them all."""

    picked = forms.TypedMultipleChoiceField(coerce=int, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["picked"].choices = [(pk, pk) for pk in choices]
        self.fields["picked"].error_messages.update(
            required=_("Tick at least one line."),
            invalid_choice=_(
                "A ticked line can no longer be chosen (it changed meanwhile): the list below is "
                "up to date, please tick again."
            ),
        )
