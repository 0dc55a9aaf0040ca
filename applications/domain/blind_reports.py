"""Fixing blind review when it leaks: a juror reports what gave the applicant away, staff are told,
add the words to hide to the dossier's blind terms, and mark the report resolved.

Rules:
- only a juror who reads the dossier (assigned, no conflict) reports, and only while it is blind;
- a juror has at most MAX_OPEN_REPORTS unresolved reports on one dossier: staff read them first;
- each report e-mails the programme's managers (all active staff when it has none), once each.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accelerator.domain.refusals import Refused
from applications.domain import blind
from applications.domain.blind_scrubber import clean_blind_terms
from applications.domain.jury_seats import seat_of
from applications.models import BlindLeakReport, Dossier
from workers.outbox import absolute_url, queue_email

MAX_REPORT_LENGTH = 2000
MAX_OPEN_REPORTS = 5
MAX_BLIND_TERMS = 200


def report_leak(dossier, user, text):
    """Record that `user`, a juror reading `dossier`, recognised the applicant through `text`,
    and queue one e-mail per staff recipient in the same transaction."""
    if not user.has_perm("applications.report_blind_leak", dossier):
        raise PermissionDenied
    text = (text or "").strip()
    if not text:
        raise Refused(_("Say what gives the applicant away."))
    if len(text) > MAX_REPORT_LENGTH:
        raise Refused(_("Keep it under %(count)d characters.") % {"count": MAX_REPORT_LENGTH})
    if not blind.is_blind(dossier.call):
        raise Refused(
            _("This review is not blind at the moment: the applicant's identity is not hidden.")
        )
    juror = seat_of(user, dossier.call)
    with transaction.atomic():
        # The dossier's row lock runs two reports of one juror one after the other.
        Dossier.objects.select_for_update().filter(pk=dossier.pk).first()
        open_reports = BlindLeakReport.objects.filter(
            dossier=dossier, juror=juror, resolved_at__isnull=True
        ).count()
        if open_reports >= MAX_OPEN_REPORTS:
            raise Refused(
                _(
                    "You already have %(count)d reports waiting on this dossier: "
                    "the programme team will read them first."
                )
                % {"count": open_reports}
            )
        report = BlindLeakReport.objects.create(dossier=dossier, juror=juror, text=text)
        _notify_staff(report)
    return report


def staff_recipients(call):
    """Who hears of a leak: the managers of the call's programme, or all active staff when the
    programme names none; each once, with an address."""
    users = get_user_model().objects.filter(is_active=True, is_staff=True).exclude(email="")
    managers = users.filter(managed_programmes=call.programme_id)
    return list((managers if managers.exists() else users).distinct().order_by("pk"))


def _notify_staff(report):
    dossier = report.dossier
    link = absolute_url(reverse("applications:staff_blind_preview", args=[dossier.pk]))
    for user in staff_recipients(dossier.call):
        queue_email(
            key=f"blind-leak:{report.pk}:{user.pk}",
            to=user.email,
            template="applications/email/blind_leak_reported",
            context={
                "recipient": user,
                "call_title": dossier.call.title,
                "reference": dossier.reference,
                "code": blind.neutral_code(dossier),
                "text": report.text,
                "action_url": link,
                "action_label": gettext_lazy("See the blind preview"),
            },
            language=user.language,
        )


def _require_staff(actor):
    if actor is None or not actor.has_perm("applications.manage_blind_review"):
        raise PermissionDenied


def set_blind_terms(dossier, lines, actor):
    """Replace `dossier`'s extra blind terms by `lines` (one term each), cleaned."""
    _require_staff(actor)
    terms = clean_blind_terms(lines)
    if len(terms) > MAX_BLIND_TERMS:
        raise Refused(_("At most %(count)d terms per dossier.") % {"count": MAX_BLIND_TERMS})
    Dossier.objects.filter(pk=dossier.pk).update(blind_terms=terms)
    dossier.blind_terms = terms
    return terms


def resolve_report(report, actor):
    """Mark `report` dealt with (once: resolving it again changes nothing)."""
    _require_staff(actor)
    BlindLeakReport.objects.filter(pk=report.pk, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=actor
    )
    report.refresh_from_db(fields=["resolved_at", "resolved_by"])
    return report


def reports_of(dossier):
    """The dossier's leak reports, the unresolved first, newest first."""
    return (
        BlindLeakReport.objects.filter(dossier=dossier)
        .select_related("juror__user", "resolved_by")
        .order_by(F("resolved_at").asc(nulls_first=True), "-created_at", "-pk")
    )
