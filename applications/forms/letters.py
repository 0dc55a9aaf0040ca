"""Forms of the decision letters: a template per outcome, one prepared letter, their release."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.domain import letters as domain
from applications.forms.staff import ParisDateTimeField
from applications.models import DecisionLetterTemplate


def placeholder_list():
    """The placeholders a letter may use, as staff type them."""
    return ", ".join(f"{{{name}}}" for name in domain.PLACEHOLDERS)


class _PlaceholderCheck:
    def _check_placeholders(self, name):
        text = self.cleaned_data.get(name, "")
        unknown = domain.unknown_placeholders(text)
        if unknown:
            raise forms.ValidationError(
                _("Unknown placeholder: %(unknown)s. You can use %(known)s.")
                % {
                    "unknown": ", ".join(f"{{{name}}}" for name in unknown),
                    "known": placeholder_list(),
                }
            )
        return text


class LetterTemplateForm(_PlaceholderCheck, forms.ModelForm):
    class Meta:
        model = DecisionLetterTemplate
        fields = ["subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 14})}

    def clean_subject(self):
        return self._check_placeholders("subject")

    def clean_body(self):
        return self._check_placeholders("body")


class LetterForm(forms.Form):
    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=255)
    body = forms.CharField(label=gettext_lazy("Letter"), widget=forms.Textarea(attrs={"rows": 16}))


class ReleaseForm(forms.Form):
    release_at = ParisDateTimeField(
        label=gettext_lazy("Release at (Paris time)"),
        required=False,
        help_text=gettext_lazy("Leave empty to send the letters now."),
    )

    def clean_release_at(self):
        moment = self.cleaned_data.get("release_at")
        if moment is not None and moment <= timezone.now():
            raise forms.ValidationError(
                _("Choose a moment in the future, or leave the field empty to send now.")
            )
        return moment
