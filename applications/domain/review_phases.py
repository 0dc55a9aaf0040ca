"""Review phases of a call: when reviewing is open and for whom, and staff saving the phases."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accelerator.domain.refusals import Refused
from applications.models import Call, JurorRole, PeerScores, ReviewPhase

PARIS = ZoneInfo("Europe/Paris")


def active_phase(call, now=None):
    """The call's review phase whose window holds `now` (start included, end excluded), or None.

    Phases of a call never overlap (see `save_phase`), so there is at most one.
    """
    now = now or timezone.now()
    return (
        ReviewPhase.objects.filter(call=call, starts_at__lte=now, ends_at__gt=now)
        .order_by("starts_at")
        .first()
    )


def review_is_open(juror, now=None):
    """Whether `juror` may write reviews now: a phase is active and, if it is for presidents
    only, the juror is a president."""
    phase = active_phase(juror.call_id, now)
    return phase_open_to(phase, juror)


def phase_open_to(phase, juror):
    """Whether `phase` lets `juror` write: a phase for presidents only is closed to the others."""
    if phase is None:
        return False
    return not phase.presidents_only or juror.role == JurorRole.PRESIDENT


def _paris(moment):
    local = timezone.localtime(moment, PARIS)
    return _("%(date)s at %(time)s (Paris time)") % {
        "date": formats.date_format(local.date(), "j F Y"),
        "time": formats.time_format(local, "H:i"),
    }


def overlapping_phase(call, starts_at, ends_at, exclude=None):
    """The first phase of `call` whose window meets [starts_at, ends_at), or None. Phases that
    only touch (one ends when the next starts) do not overlap."""
    phases = ReviewPhase.objects.filter(call=call, starts_at__lt=ends_at, ends_at__gt=starts_at)
    if exclude is not None and exclude.pk:
        phases = phases.exclude(pk=exclude.pk)
    return phases.order_by("starts_at").first()


PHASE_FIELDS = ("name", "starts_at", "ends_at", "presidents_only", "peer_scores", "blind")


def _check_phase(call, values, phase):
    starts_at, ends_at = values["starts_at"], values["ends_at"]
    errors = {}
    if not isinstance(starts_at, datetime) or not isinstance(ends_at, datetime):
        raise Refused(_("A phase needs a start and an end."))
    if ends_at <= starts_at:
        errors["ends_at"] = [_("A phase must end after it starts.")]
    else:
        other = overlapping_phase(call, starts_at, ends_at, exclude=phase)
        if other is not None:
            errors[NON_FIELD_ERRORS] = [
                _(
                    "These dates overlap the phase “%(name)s”, which runs from %(start)s to "
                    "%(end)s. The phases of a call follow one another: change the dates so they "
                    "do not overlap."
                )
                % {
                    "name": other.name,
                    "start": _paris(other.starts_at),
                    "end": _paris(other.ends_at),
                }
            ]
    if values.get("peer_scores") not in PeerScores.values:
        errors["peer_scores"] = [_("Choose when jurors see other jurors' scores.")]
    if errors:
        raise Refused(errors)


def save_phase(call, values, actor, phase=None):
    """Create (or, given `phase`, change) a review phase of `call` from `values` (the keys of
    PHASE_FIELDS). Raises PermissionDenied, or Refused keyed by field (overlap, order)."""
    if not actor.has_perm("applications.manage_review_phases", call):
        raise PermissionDenied
    with transaction.atomic():
        # Locking the call makes two staff saving phases at once check overlaps one after the
        # other, so both cannot slip in.
        Call.objects.select_for_update().filter(pk=call.pk).values_list("pk").first()
        _check_phase(call, values, phase)
        phase = phase or ReviewPhase(call=call)
        for name in PHASE_FIELDS:
            setattr(phase, name, values[name])
        phase.save()
    return phase


def delete_phase(phase, actor):
    if not actor.has_perm("applications.manage_review_phases", phase.call):
        raise PermissionDenied
    phase.delete()


def phase_status(phase, now=None):
    """ "upcoming", "active" or "past"."""
    now = now or timezone.now()
    if now < phase.starts_at:
        return "upcoming"
    if now < phase.ends_at:
        return "active"
    return "past"


def closed_message(phase):
    if phase is not None and phase.presidents_only:
        return _("During the phase “%(name)s”, only the jury's presidents review.") % {
            "name": phase.name
        }
    return _("Reviewing is closed for this call: your review can no longer be changed.")
