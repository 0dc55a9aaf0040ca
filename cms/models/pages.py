"""The public Wagtail site: the home page and the index of calls for applications."""

from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from applications.models import Call


def open_calls(calls, now):
    return calls.filter(opens_at__lte=now, closes_at__gt=now).order_by("closes_at", "pk")


class HomePage(Page):
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

    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldPanel("hero_heading"), FieldPanel("hero_text")], heading=_("Hero")),
        FieldPanel("intro"),
    ]
    subpage_types = ["cms.CallIndexPage"]
    max_count = 1

    # Open calls shown on the home page; the calls index lists them all.
    OPEN_CALLS_SHOWN = 6

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        calls = Call.objects.live().descendant_of(self).select_related("programme")
        context["open_calls"] = open_calls(calls, now)[: self.OPEN_CALLS_SHOWN]
        context["calls_index"] = CallIndexPage.objects.live().child_of(self).first()
        context["now"] = now
        return context


class CallIndexPage(Page):
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
        calls = Call.objects.live().child_of(self).select_related("programme")
        context["open_calls"] = open_calls(calls, now)
        context["upcoming_calls"] = calls.filter(opens_at__gt=now).order_by("opens_at", "pk")
        closed = calls.filter(closes_at__lte=now).order_by("-closes_at", "-pk")
        context["closed_page"] = Paginator(closed, self.CLOSED_PER_PAGE).get_page(
            request.GET.get("page")
        )
        context["now"] = now
        return context
