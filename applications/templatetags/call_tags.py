"""How calls read on the public site: Paris times with their zone, time left, euros, eligibility,
and the timeline with its automatic steps shown once."""

import re
import unicodedata
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django import template
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accelerator.models import LegalForm
from accelerator.templatetags.accelerator_tags import paris_datetime
from applications.models import CallKind

register = template.Library()

PARIS = ZoneInfo("Europe/Paris")


def in_paris(moment):
    return timezone.localtime(moment, PARIS)


def _date_text(day):
    return formats.date_format(day, "j F Y")


def _time_text(moment):
    return formats.time_format(moment, "H:i")


# One reading of a moment for every room: the applicant's space defines it.
register.filter("paris_datetime", paris_datetime)


@register.filter
def long_date(day):
    """“30 November 2026”: a calendar date, with no time and so no time zone."""
    if not day:
        return ""
    if isinstance(day, datetime):
        day = in_paris(day).date()
    return _date_text(day)


@register.filter
def iso_datetime(moment):
    """The machine-readable form for `<time datetime=…>`."""
    return in_paris(moment).isoformat() if moment else ""


@register.filter
def paris_time(moment):
    """The `<time>` element of a moment, its Paris reading inside: drawn here rather than by an
    included template, since a list of 50 rows draws 150 of them."""
    if not moment:
        return ""
    return format_html(
        '<time datetime="{}">{}</time>', iso_datetime(moment), paris_datetime(moment)
    )


@register.simple_tag
def time_left(call, now=None):
    """What an applicant needs to know about a call's deadline, counted in Paris calendar days.

    “Closes in 3 days”, “Closes tomorrow at 17:00 (Paris time)”, “Closes today at 17:00 (Paris
    time)”, “Closes in 20 minutes”, or “Closed”. Days are calendar days in Paris, so a deadline
    across a daylight-saving change still reads as the day it falls on.
    """
    return closing_text(call.closes_at, now=now)


def closing_text(closes_at, now=None):
    now = now or timezone.now()
    if now >= closes_at:
        return _("Closed")
    remaining = closes_at - now
    if remaining < timedelta(hours=1):
        minutes = max(1, int(remaining.total_seconds() // 60))
        return ngettext("Closes in %(count)d minute", "Closes in %(count)d minutes", minutes) % {
            "count": minutes
        }
    local_close, today = in_paris(closes_at), in_paris(now).date()
    days = (local_close.date() - today).days
    context = {"time": _time_text(local_close)}
    if days == 0:
        return _("Closes today at %(time)s (Paris time)") % context
    if days == 1:
        return _("Closes tomorrow at %(time)s (Paris time)") % context
    return ngettext("Closes in %(count)d day", "Closes in %(count)d days", days) % {"count": days}


@register.simple_tag
def opening_text(call, now=None):
    """“Opens today at 09:00 (Paris time)”, “Opens tomorrow at …” or “Opens on 12 January 2027
    at 09:00 (Paris time)”."""
    now = now or timezone.now()
    local_open = in_paris(call.opens_at)
    days = (local_open.date() - in_paris(now).date()).days
    context = {"time": _time_text(local_open)}
    if days <= 0:
        return _("Opens today at %(time)s (Paris time)") % context
    if days == 1:
        return _("Opens tomorrow at %(time)s (Paris time)") % context
    return _("Opens on %(moment)s") % {"moment": paris_datetime(call.opens_at)}


@register.filter
def euros(amount):
    """“120 000 €” in French, “120,000 €” in English; cents only when there are some."""
    if amount is None or amount == "":
        return ""
    amount = Decimal(amount)
    places = 0 if amount == amount.to_integral_value() else 2
    number = formats.number_format(amount, decimal_pos=places, use_l10n=True, force_grouping=True)
    return f"{number}\u00a0€"


@register.simple_tag
def call_eligibility(call):
    """The call's eligibility criteria in plain words, one sentence per criterion.

    Reads `call.eligible_departments` once; prefetch it when listing several calls.
    """
    sentences = []
    if call.kind == CallKind.COALITIONS:
        sentences.append(
            _("Open to territorial coalitions: a lead structure applies with its partners.")
        )
    elif call.kind == CallKind.SUPPORT_POINTS:
        sentences.append(
            _(
                "Open to organisations that want to become a point d'appui of the programme: "
                "they support the accompanied structures of their own département."
            )
        )
    departments = [str(department) for department in call.eligible_departments.all()]
    if departments:
        sentences.append(
            ngettext(
                "The structure is based in %(places)s.",
                "The structure is based in one of these départements: %(places)s.",
                len(departments),
            )
            % {"places": get_text_list(departments, _("or"))}
        )
    else:
        sentences.append(_("Structures from every département may apply."))
    labels = dict(LegalForm.choices)
    forms = [str(labels[code]) for code in call.eligible_legal_forms or [] if code in labels]
    if forms:
        sentences.append(
            ngettext(
                "Its legal form is %(forms)s.",
                "Its legal form is one of: %(forms)s.",
                len(forms),
            )
            % {"forms": get_text_list(forms, _("or"))}
        )
    else:
        sentences.append(_("Every legal form may apply."))
    if call.esus_required:
        sentences.append(_("It holds the ESUS agrément (entreprise solidaire d'utilité sociale)."))
    if call.min_age_years:
        sentences.append(
            ngettext(
                "It was created at least %(count)d year ago.",
                "It was created at least %(count)d years ago.",
                call.min_age_years,
            )
            % {"count": call.min_age_years}
        )
    low, high = call.budget_min, call.budget_max
    if low is not None and high is not None:
        sentences.append(
            _("Its annual budget is between %(low)s and %(high)s.")
            % {"low": euros(low), "high": euros(high)}
        )
    elif low is not None:
        sentences.append(_("Its annual budget is at least %(low)s.") % {"low": euros(low)})
    elif high is not None:
        sentences.append(_("Its annual budget is at most %(high)s.") % {"high": euros(high)})
    return sentences


@register.filter
def plain_number(value):
    """A decimal without useless zeros, in the active language: 1.00 → “1”, 1.50 → “1.5”/“1,5”."""
    if value is None or value == "":
        return ""
    value = Decimal(value)
    value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    return formats.number_format(value, use_l10n=True)


@register.simple_tag
def evaluation_grid(call):
    """The criteria of the call's grid with each one's share of the total weight, in percent."""
    criteria = list(call.criteria.all())
    total = sum((criterion.weight for criterion in criteria), Decimal(0))
    return [
        {
            "criterion": criterion,
            "share": round(criterion.weight * 100 / total) if total else None,
        }
        for criterion in criteria
    ]


# An officer's own step that repeats an automatic one: on the same Paris day as the opening (or
# the closing) and named for it. Words are compared without accents or case, as whole words or
# their beginnings (“clôture”, “clôturé”, “Closing”); “ferme” alone is left out, it is a farm.
OPENING_WORDS = ("ouverture", "ouvre", "ouvert", "lancement", "opening", "opens", "launch")
CLOSING_WORDS = (
    "clotur", "fermeture", "date limite", "fin des candidatures", "fin des depots",
    "closing", "closes", "deadline",
)  # fmt: skip


def _plain(text):
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def _names(label, words):
    plain = _plain(label)
    return any(re.search(rf"\b{re.escape(word)}", plain) for word in words)


def repeats_automatic_step(call, day, label):
    """Whether an officer's step dated `day` and named `label` says again what the automatic
    opening or closing step already says (and so is not shown twice)."""
    return (day == in_paris(call.opens_at).date() and _names(label, OPENING_WORDS)) or (
        day == in_paris(call.closes_at).date() and _names(label, CLOSING_WORDS)
    )


@register.simple_tag
def call_timeline(call, now=None):
    """Opening, the call's own steps and closing, in date order; each knows if it is past.

    Essor adds the opening and the closing itself; an officer's step on the same day with the
    same meaning (see `repeats_automatic_step`) is left out rather than shown twice.
    """
    now = now or timezone.now()
    today = in_paris(now).date()
    events = [
        {
            "label": _("Opening"),
            "when": paris_datetime(call.opens_at),
            "iso": iso_datetime(call.opens_at),
            "sort": in_paris(call.opens_at),
            "description": "",
            "past": call.opens_at <= now,
        },
        {
            "label": _("Closing: last moment to submit a dossier"),
            "when": paris_datetime(call.closes_at),
            "iso": iso_datetime(call.closes_at),
            "sort": in_paris(call.closes_at),
            "description": "",
            "past": call.closes_at <= now,
        },
    ]
    for step in call.timeline:
        day = step.value.get("date")
        if not day or repeats_automatic_step(call, day, step.value.get("label")):
            continue
        events.append(
            {
                "label": step.value.get("label"),
                "when": long_date(day),
                "iso": day.isoformat(),
                # A step with no time sorts after the opening or closing that falls on its day.
                "sort": datetime.combine(day, datetime.max.time(), tzinfo=PARIS),
                "description": step.value.get("description") or "",
                "past": day < today,
            }
        )
    return sorted(events, key=lambda event: event["sort"])
