"""The form a structure's editors fill to appear in the public portfolio: the description the
public will read. The domain (cms.domain.portfolio.give_consent) decides the rest."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cms.domain.portfolio import DESCRIPTION_MAX_LENGTH


class ConsentForm(forms.Form):
    description = forms.CharField(
        label=_("Public description"),
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Write the description the public will read.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built here, in the language of the request.
        self.fields["description"].help_text = gettext(
            "A few sentences for the public: what the structure does, where and for whom. "
            "%(max)s characters at most."
        ) % {"max": DESCRIPTION_MAX_LENGTH}
