"""How the applicant's space reads: Paris times with their zone, euros, form fields."""

from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

from django import template
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

register = template.Library()

PARIS = ZoneInfo("Europe/Paris")


@lru_cache(maxsize=1024)
def _day_text(day, language):
    """“30 November 2026” in `language` (the active one: it is the cache's key). Kept, since a
    list of 50 rows draws the same few days a hundred times."""
    return formats.date_format(day, "j F Y")


@register.filter
def paris_datetime(moment):
    """“30 November 2026 at 12:00 (Paris time)”, in the active language."""
    if not moment:
        return ""
    local = timezone.localtime(moment, PARIS)
    return _("%(date)s at %(time)s (Paris time)") % {
        "date": _day_text(local.date(), translation.get_language()),
        "time": f"{local:%H:%M}",
    }


@register.filter
def euros(amount):
    """“120 000,00 €” in French: money is a Decimal, never a float."""
    if amount is None or amount == "":
        return ""
    number = formats.number_format(Decimal(amount), 2, use_l10n=True, force_grouping=True)
    return _("%(amount)s €") % {"amount": number}


@register.inclusion_tag("accelerator/includes/field.html")
def form_field(field):
    """One form field with its label, help text and errors in place (see field.html)."""
    return {"field": field}
