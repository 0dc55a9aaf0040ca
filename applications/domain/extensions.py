"""Personal deadline extensions: staff let one structure submit after the call closes."""

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accelerator.domain.refusals import Refused
from applications.domain import notifications
from applications.models import Dossier, DossierState
from workers.outbox import queue_email

EMAIL_TEMPLATE = "applications/staff/email/deadline_extended"
BELL_TEXT = gettext_lazy(
    "The dossier %(reference)s for “%(call)s” can be submitted until %(deadline)s"
)


def extension_problems(dossier, until, now=None):
    """Why `dossier` cannot get the personal deadline `until`, as {field: [messages]}."""
    now = now or timezone.now()
    problems = {}
    if dossier.state != DossierState.DRAFT:
        problems.setdefault(NON_FIELD_ERRORS, []).append(
            _("Only a draft dossier can get a later deadline: this one is “%(state)s”.")
            % {"state": dossier.get_state_display()}
        )
    if until is None or timezone.is_naive(until):
        problems.setdefault("until", []).append(_("Give a date and a time."))
        return problems
    if until <= dossier.call.closes_at:
        problems.setdefault("until", []).append(
            _("The new deadline must be after the call's closing time.")
        )
    if until <= now:
        problems.setdefault("until", []).append(_("The new deadline must be in the future."))
    return problems


def grant_extension(dossier, until, actor, reason):
    """Give `dossier` the personal deadline `until` and tell the structure's members by e-mail.

    Raises PermissionDenied when `actor` is not programme staff, Refused (keyed by the
    form fields `until` and `reason`) when the extension is not allowed. Returns the dossier.
    """
    if not actor.has_perm("applications.manage_dossiers"):
        raise PermissionDenied
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = (
            Dossier.objects.select_for_update()
            .select_related("call", "structure")
            .get(pk=dossier.pk)
        )
        problems = extension_problems(locked, until)
        if not reason:
            problems.setdefault("reason", []).append(
                _("Please give a reason: the structure will read it.")
            )
        if problems:
            raise Refused(problems)
        granted = {
            "deadline_extended_to": until,
            "deadline_extended_by": actor,
            "deadline_extended_at": timezone.now(),
            "deadline_extension_reason": reason,
        }
        Dossier.objects.filter(pk=locked.pk).update(**granted)
        for field, value in granted.items():
            setattr(locked, field, value)
        _notify_members(locked, until, actor, reason)
    for field in ("deadline_extended_to", "deadline_extended_by", "deadline_extended_at"):
        setattr(dossier, field, getattr(locked, field))
    dossier.deadline_extension_reason = locked.deadline_extension_reason
    return locked


def _notify_members(dossier, until, actor, reason):
    # The same people as every other dossier e-mail: the members who act for the structure.
    members = notifications.recipients(dossier)
    context = {
        "dossier": dossier,
        "call": dossier.call,
        "structure": dossier.structure,
        "until": until,
        "reason": reason,
        "dossier_url": notifications.dossier_link(dossier),
    }
    for member in members:
        message = queue_email(
            key=f"dossier:{dossier.pk}:extension:{until.isoformat()}:{member.pk}",
            to=member.email,
            template=EMAIL_TEMPLATE,
            context={**context, "recipient": member},
            language=member.language,
        )
        notifications.tell(
            member, dossier, BELL_TEXT, message, deadline=lambda: notifications.paris_moment(until)
        )
