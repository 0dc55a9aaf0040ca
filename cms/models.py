"""The public Wagtail site: home page and the index of calls for applications."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from applications.models import Call

class HomePage(Page):
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["cms.CallIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):

        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        context["open_calls"] = (
            Call.objects.live().filter(opens_at__lte=now, closes_at__gt=now).order_by("closes_at")
        )
        return context

class CallIndexPage(Page):
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["applications.Call"]

    class Meta:
        verbose_name = _("calls index")

    def get_context(self, request, *args, **kwargs):

        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        calls = Call.objects.live().child_of(self).select_related("programme")
        context["open_calls"] = calls.filter(opens_at__lte=now, closes_at__gt=now).order_by("closes_at")
        context["upcoming_calls"] = calls.filter(opens_at__gt=now).order_by("opens_at")
        context["closed_calls"] = calls.filter(closes_at__lte=now).order_by("-closes_at")
        context["now"] = now
        return context
