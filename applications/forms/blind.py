"""Forms of blind review: a juror's leak report, the staff's extra terms to hide on a dossier."""

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.domain.blind_reports import MAX_REPORT_LENGTH


class BlindLeakForm(forms.Form):
    text = forms.CharField(
        label=_("What lets you recognise the applicant?"),
        max_length=MAX_REPORT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say what gives the applicant away.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "leak")
        super().__init__(*args, **kwargs)


class BlindTermsForm(forms.Form):
    terms = forms.CharField(
        label=_("Also hide, for this dossier"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "One word or phrase per line: a nickname, a project's name, a place. Jurors read "
            "“[hidden]” instead, whatever its accents, case or hyphens."
        ),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "blind")
        super().__init__(*args, **kwargs)

    def lines(self):
        return self.cleaned_data["terms"].splitlines()
