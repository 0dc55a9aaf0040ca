"""Staff's form for a structure's consent to the portfolio: which structure (chosen once) and
the description it agreed to show."""

from wagtail.admin.forms import WagtailAdminModelForm

from accelerator.models import Structure


class PortfolioConsentForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        structure = self.fields["structure"]
        # Only an accompanied structure can appear; a consent stays with its structure.
        structure.queryset = Structure.objects.filter(accompaniments__isnull=False).distinct()
        structure.disabled = self.instance.pk is not None
