"""Staff remind late jurors now, from the review-progress page (or a command): one reminder per
juror and per Paris hour, through the reminder engine, so a double click sends nothing more."""

from dataclasses import replace

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from accelerator.domain.refusals import Refused
from applications.domain import jury_reminders
from applications.domain.review_progress import reminding_phase
from workers import reminders
from workers.reminders import PARIS


def occasion(now):
    """One reminder per hour at most: "manual:2027-03-24T15" (Paris time)."""
    return f"manual:{timezone.localtime(now, PARIS):%Y-%m-%dT%H}"


def remind_late_jurors(call, actor, juror_ids=None, now=None):
    """Remind now the jurors of `call` who still owe reviews of its last started phase (all of
    them, or those among `juror_ids`), unless reminded so within this hour. The reasons are
    checked again when sending, as for every reminder. Returns the number of jurors reminded.
    Raises PermissionDenied, or Refused before any review phase has started."""
    if not actor.has_perm("applications.manage_jury", call):
        raise PermissionDenied
    now = now or timezone.now()
    phase = reminding_phase(call, now)
    if phase is None:
        raise Refused(_("No review phase has started yet: no juror is late."))
    jurors = jury_reminders.owing({call.pk: phase.presidents_only})
    if juror_ids is not None:
        jurors = jurors.filter(pk__in=list(juror_ids))
    plan = [jury_reminders.per_juror(jurors, occasion(now), now)]
    rule = replace(jury_reminders.REVIEWS_ASKED, plan=lambda _now: plan)
    planned = reminders.plan_rule(rule, now)
    if planned:
        reminders.send_due(now)
    return planned
