"""The public Wagtail site's own pages: home, the index of calls for applications, the
programme, and the standard page of legal notices, privacy notice and accessibility statement."""

from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from applications.models import Call
from applications.models.page_languages import SiteLanguagesMixin
from cms.blocks import BodyBlock, PartnerBlock, StageBlock


def open_calls(calls, now):
    return calls.filter(opens_at__lte=now, closes_at__gt=now).order_by("closes_at", "pk")


class HomePage(SiteLanguagesMixin, Page):
    """The front door: what the programme is, the calls open now, and the way to all calls."""

    hero_heading = models.CharField(
        _("hero heading"),
        max_length=200,
        blank=True,
        help_text=_("The big line at the top of the page. Leave empty to show the page title."),
    )
    hero_text = models.TextField(
        _("hero text"), max_length=500, blank=True, help_text=_("One or two sentences under it.")
    )
    intro = RichTextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldPanel("hero_heading"), FieldPanel("hero_text")], heading=_("Hero")),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    subpage_types = [
        "cms.CallIndexPage",
        "cms.ProgrammePage",
        "cms.NewsIndexPage",
        "cms.PortfolioPage",
        "cms.StandardPage",
    ]
    max_count = 1

    # Open calls shown on the home page; the calls index lists them all. Its other sections
    # come from the domain through cms/templatetags/page_tags.py.
    OPEN_CALLS_SHOWN = 6
    NEWS_SHOWN = 3
    AGENDA_SHOWN = 4

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        # A translated home lists the calls of the home as written (calls are not translated).
        original = self.original(request)
        calls = Call.objects.live().descendant_of(original).select_related("programme")
        context["open_calls"] = open_calls(calls, now)[: self.OPEN_CALLS_SHOWN]
        context["calls_index"] = CallIndexPage.objects.live().child_of(self).first() or (
            CallIndexPage.objects.live().child_of(original).first()
        )
        context["now"] = now
        return context


class CallIndexPage(SiteLanguagesMixin, Page):
    """Every call of the site: open ones first with the time left, then upcoming, then closed."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["applications.Call"]

    CLOSED_PER_PAGE = 12

    class Meta:
        verbose_name = _("calls index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        calls = Call.objects.live().child_of(self.original(request)).select_related("programme")
        context["open_calls"] = open_calls(calls, now)
        context["upcoming_calls"] = calls.filter(opens_at__gt=now).order_by("opens_at", "pk")
        closed = calls.filter(closes_at__lte=now).order_by("-closes_at", "-pk")
        context["closed_page"] = Paginator(closed, self.CLOSED_PER_PAGE).get_page(
            request.GET.get("page")
        )
        context["now"] = now
        return context


class ProgrammePage(SiteLanguagesMixin, Page):
    """What the programme is: the five stages of the journey, its partners, and the points
    d'appui of each département."""

    intro = RichTextField(_("introduction"), blank=True)
    journey = StreamField(
        [("stage", StageBlock())],
        blank=True,
        verbose_name=_("journey"),
        help_text=_("What happens at each stage. Stages left out are shown with their name only."),
    )
    partners = StreamField([("partner", PartnerBlock())], blank=True, verbose_name=_("partners"))
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("journey"),
        FieldPanel("partners"),
        FieldPanel("body"),
    ]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.StandardPage"]

    class Meta:
        verbose_name = _("programme page")


class ConformityLevel(models.TextChoices):
    """The RGAA's three words for how far a site meets its criteria."""

    FULL = "full", _("Fully compliant")
    PARTIAL = "partial", _("Partially compliant")
    NONE = "none", _("Not compliant")


class StandardPage(SiteLanguagesMixin, Page):
    """A page of text: legal notices, the privacy notice (RGPD), the accessibility statement
    (with its conformity level, which the footer repeats), or any other."""

    intro = models.TextField(_("introduction"), max_length=500, blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))
    conformity_level = models.CharField(
        _("accessibility conformity level"),
        max_length=10,
        choices=ConformityLevel.choices,
        blank=True,
        help_text=_("Only for the accessibility statement: the result of the latest audit."),
    )
    audited_on = models.DateField(_("audited on"), null=True, blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("conformity_level"), FieldPanel("audited_on")],
            heading=_("Accessibility statement"),
        ),
    ]
    subpage_types = ["cms.StandardPage"]

    class Meta:
        verbose_name = _("standard page")
