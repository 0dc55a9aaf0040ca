"""Requests for information: staff ask a submitted dossier's structure for more, by a date."""

from datetime import datetime, time, timedelta

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from accelerator.domain.refusals import Refused
from accelerator.domain.transitions import reasons
from applications.domain.dossiers import DOSSIER, change_state
from workers.reminders import PARIS

DEFAULT_REPLY_DAYS = 14
# A reply date means the whole day, Paris time.
REPLY_UNTIL = time(23, 59)


def today(now=None):
    return timezone.localtime(now or timezone.now(), PARIS).date()


def default_reply_date(now=None):
    return today(now) + timedelta(days=DEFAULT_REPLY_DAYS)


def reply_deadline(day):
    return datetime.combine(day, REPLY_UNTIL, tzinfo=PARIS)


def request_info(dossier, actor, comment, reply_by=None, now=None):
    """Ask the structure for more information, to be given by `reply_by` (a date; 14 days from
    today when None). Records when it was asked and the reply date with the transition, for the
    reminders (`applications.domain.reminders`). Returns the updated dossier.

    Raises PermissionDenied when `actor` may not, Refused (keyed by the form's fields `reply_by`
    and `comment`) for a reply date in the past, TransitionRefused as `change_state` does."""
    if not actor.has_perm("applications.request_info_dossier", dossier):
        raise PermissionDenied
    now = now or timezone.now()
    reply_by = reply_by or default_reply_date(now)
    if reply_by < today(now):
        problems = {
            "reply_by": [
                _("The reply date %(date)s is past: choose today or a later date.")
                % {"date": reply_by.strftime("%d/%m/%Y")}
            ]
        }
        # Every reason at once, so the comment is not refused on the next try.
        missing = reasons(DOSSIER, dossier, "request_info", actor, comment)
        if missing:
            problems["comment"] = missing
        raise Refused(problems)
    return change_state(
        dossier,
        "request_info",
        actor,
        comment,
        changes={"info_requested_at": now, "info_reply_due_at": reply_deadline(reply_by)},
    )
