"""Forms of a cohort's board: its filters by département and référent."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accelerator.forms.widgets import QuickSelect


class BoardFilterForm(forms.Form):
    """The board's filters (GET): their choices are the cohort's own départements and référents,
    among the structures the reader sees."""

    department = forms.ChoiceField(label=_("Département"), required=False, widget=QuickSelect)
    referent = forms.ChoiceField(label=_("Référent"), required=False, widget=QuickSelect)

    def __init__(self, data, choices):
        super().__init__(data)
        self.fields["department"].choices = [("", _("All départements")), *choices.departments]
        self.fields["referent"].choices = [("", _("All référents")), *choices.referents]

    def filters(self):
        """The valid filters (an unknown value is shown as an error and left out)."""
        self.is_valid()
        return {
            name: self.cleaned_data[name]
            for name in ("department", "referent")
            if self.cleaned_data.get(name)
        }
