"""The public portfolio of accompanied structures: the page that lists them, and each
structure's consent to appear on it with the words it chose."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from applications.models.page_languages import SiteLanguagesMixin
from cms.blocks import BodyBlock


class PortfolioConsent(models.Model):
    """A structure's consent to appear in the public portfolio. It shows its name, département,
    stage and this description, written for the public (never the structure's own description,
    which it may have written for staff), and the figures it made public one by one
    (`accelerator.domain.impact_publication`). No row, nothing public."""

    structure = models.OneToOneField(
        "accelerator.Structure",
        on_delete=models.CASCADE,
        related_name="portfolio_consent",
        verbose_name=_("structure"),
    )
    description = models.TextField(
        _("public description"),
        max_length=1000,
        help_text=_("What the structure does, as it agreed to show it to the public."),
    )
    consented_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("consent recorded by"),
    )
    consented_at = models.DateTimeField(_("consented at"))

    class Meta:
        verbose_name = _("portfolio consent")
        verbose_name_plural = _("portfolio consents")

    def __str__(self):
        return str(self.structure)


class PortfolioPage(SiteLanguagesMixin, Page):
    """The portfolio's entries come from cms.domain.portfolio, through
    cms/templatetags/page_tags.py: what leaves the structures' data is decided there only."""

    intro = RichTextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("portfolio page")
