"""Dates typed the French way in the call's admin: read and shown in Paris time whatever the
editor's time zone, never replaced by a picker, and said back in words beside the field."""

import re
from contextlib import suppress
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

PARIS = ZoneInfo("Europe/Paris")
SHOWN_AS = "%d/%m/%Y %H:%M"
OPENS, CLOSES = "opens", "closes"

_DAY_FIRST = r"(?P<day>\d{1,2})[/.\-](?P<month>\d{1,2})[/.\-](?P<year>\d{4})"
_ISO = r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"
# “17:00”, “17h00”, “17 h”, “17H30”, “17:00:00”: a bare “17” is not read, it may be a slip.
_TIME = (
    r"(?P<hour>\d{1,2})\s*"
    r"(?::\s*(?P<minute>\d{2})(?::(?P<second>\d{2}))?|[hH]\s*(?P<hminute>\d{2})?)"
)
# Between the day and the time: spaces, a comma, “à”, “at” or ISO's “T”.
_JOIN = r"(?:\s*,\s*|\s+(?:à|a|at)\s+|\s+|T)"
_WITH_TIME = [re.compile(rf"^{day}{_JOIN}{_TIME}$") for day in (_DAY_FIRST, _ISO)]
_DAY_ONLY = [re.compile(rf"^{day}$") for day in (_DAY_FIRST, _ISO)]

MESSAGES = {
    "invalid": gettext_lazy(
        "Type the date and time as dd/mm/yyyy hh:mm, for example “13/12/2026 17:00”."
    ),
    # A deadline typed without a time could mean the start or the end of that day: a day of
    # difference for applicants, so Essor asks instead of guessing midnight.
    "day_only": gettext_lazy(
        "Add the time too, for example “13/12/2026 17:00”: a date alone could mean the start "
        "or the end of the day."
    ),
    "impossible": gettext_lazy(
        "“%(value)s” does not exist: check the day, the month and the time."
    ),
    "skipped": gettext_lazy(
        "%(time)s does not exist in Paris on that day: the clocks go forward from 02:00 to "
        "03:00. Choose another time."
    ),
}


def in_paris(moment):
    return timezone.localtime(moment, PARIS)


def shown(moment):
    """How a stored moment reads in the field: “13/12/2026 17:00”, Paris time."""
    return in_paris(moment).strftime(SHOWN_AS)


def read(text):
    """The aware datetime that `text` means in Paris, or a ValidationError in plain words.

    Reads “13/12/2026 17:00”, “13/12/2026 17h00”, “13/12/2026 à 17h”, “13.12.2026 17:00” and
    ISO “2026-12-13 17:00”. A date alone is refused (see MESSAGES["day_only"]). In the autumn
    hour that happens twice, the first one (summer time) is meant.
    """
    text = " ".join(str(text).split())
    match = next((m for pattern in _WITH_TIME if (m := pattern.match(text))), None)
    if match is None:
        if any(pattern.match(text) for pattern in _DAY_ONLY):
            raise ValidationError(MESSAGES["day_only"], code="day_only")
        raise ValidationError(MESSAGES["invalid"], code="invalid")
    parts = match.groupdict()
    minute = parts["minute"] or parts["hminute"] or "0"
    try:
        naive = datetime(
            int(parts["year"]),
            int(parts["month"]),
            int(parts["day"]),
            int(parts["hour"]),
            int(minute),
            int(parts["second"] or 0),
        )
    except ValueError:
        raise ValidationError(
            MESSAGES["impossible"], code="impossible", params={"value": text}
        ) from None
    moment = naive.replace(tzinfo=PARIS)
    if moment.astimezone(UTC).astimezone(PARIS).replace(tzinfo=None) != naive:
        raise ValidationError(
            MESSAGES["skipped"], code="skipped", params={"time": naive.strftime("%H:%M")}
        )
    return moment


def _to_minute(moment):
    return moment.replace(second=0, microsecond=0) if moment else moment


class ParisDateTimeInput(forms.TextInput):
    """A plain text box (no picker to overwrite what is typed) with its echo in words below."""

    template_name = "applications/admin/paris_datetime_input.html"

    def __init__(self, moment=CLOSES, attrs=None):
        self.moment = moment
        # No inputmode: the numeric keypads of phones have neither “/” nor “:”.
        defaults = {
            "placeholder": gettext_lazy("dd/mm/yyyy hh:mm"),
            "autocomplete": "off",
            "spellcheck": "false",
            "size": "18",
            "data-paris-datetime": moment,
        }
        super().__init__({**defaults, **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        echo_id = f"{widget['attrs'].get('id') or name}-echo"
        widget["attrs"]["aria-describedby"] = " ".join(
            filter(None, [widget["attrs"].get("aria-describedby"), echo_id])
        )
        widget["attrs"]["data-echo-id"] = echo_id
        # Without the admin's URLs (a test site), the echo stays as the server wrote it.
        with suppress(NoReverseMatch):
            widget["attrs"]["data-echo-url"] = reverse("essor_call_date_echo")
        widget["echo_id"] = echo_id
        widget["echo"], widget["echo_valid"] = describe(self.moment, value)
        return context


class ParisDateTimeField(forms.Field):
    """A moment typed and shown in Paris time; what was typed stays in the box when unreadable."""

    widget = ParisDateTimeInput

    def prepare_value(self, value):
        return shown(value) if isinstance(value, datetime) else value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value if timezone.is_aware(value) else value.replace(tzinfo=PARIS)
        return read(value)

    def has_changed(self, initial, data):
        # The box shows minutes only: a stored 17:00:42 shown as 17:00 is not a change.
        try:
            typed = self.to_python(data)
        except ValidationError:
            return True
        return _to_minute(initial) != _to_minute(typed)


def describe(moment, value, now=None):
    """The sentence beside the box, and whether the box is readable: (text, valid)."""
    if isinstance(value, datetime):
        return echo(moment, value, now), True
    if value in (None, ""):
        return "", True
    try:
        return echo(moment, read(value), now), True
    except ValidationError as error:
        return " ".join(error.messages), False


def _day_text(day):
    return formats.date_format(day, "l j F Y")


def echo(moment, when, now=None):
    """“Closes in 10 days, on Sunday 13 December 2026 at 17:00, Paris time”, “Opened 3 days
    ago, on …”: days are counted in Paris calendar days, as the public page counts them."""
    now = now or timezone.now()
    local = in_paris(when)
    days = (local.date() - in_paris(now).date()).days
    context = {"date": _day_text(local.date()), "time": local.strftime("%H:%M")}
    if moment == OPENS:
        text = _opening_echo(when > now, days, context)
    else:
        text = _closing_echo(when > now, days, context)
    return text % context


def _opening_echo(future, days, context):
    if future:
        if days <= 0:
            return _("Opens today at %(time)s, Paris time")
        if days == 1:
            return _("Opens tomorrow, %(date)s at %(time)s, Paris time")
        context["count"] = days
        return ngettext(
            "Opens in %(count)d day, on %(date)s at %(time)s, Paris time",
            "Opens in %(count)d days, on %(date)s at %(time)s, Paris time",
            days,
        )
    if days >= 0:
        return _("Opened today at %(time)s, Paris time")
    if days == -1:
        return _("Opened yesterday, %(date)s at %(time)s, Paris time")
    context["count"] = -days
    return ngettext(
        "Opened %(count)d day ago, on %(date)s at %(time)s, Paris time",
        "Opened %(count)d days ago, on %(date)s at %(time)s, Paris time",
        -days,
    )


def _closing_echo(future, days, context):
    if future:
        if days <= 0:
            return _("Closes today at %(time)s, Paris time")
        if days == 1:
            return _("Closes tomorrow, %(date)s at %(time)s, Paris time")
        context["count"] = days
        return ngettext(
            "Closes in %(count)d day, on %(date)s at %(time)s, Paris time",
            "Closes in %(count)d days, on %(date)s at %(time)s, Paris time",
            days,
        )
    if days >= 0:
        return _("Closed today at %(time)s, Paris time")
    if days == -1:
        return _("Closed yesterday, %(date)s at %(time)s, Paris time")
    context["count"] = -days
    return ngettext(
        "Closed %(count)d day ago, on %(date)s at %(time)s, Paris time",
        "Closed %(count)d days ago, on %(date)s at %(time)s, Paris time",
        -days,
    )


def moment_text(when):
    """“Sunday 13 December 2026 at 17:00”, in Paris time (the caller says so)."""
    local = in_paris(when)
    return _("%(date)s at %(time)s") % {
        "date": _day_text(local.date()),
        "time": local.strftime("%H:%M"),
    }
