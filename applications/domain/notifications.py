"""The e-mails a dossier's transitions send, queued in the outbox within the transition."""

from django.urls import reverse

from accelerator.domain.members import acting_members
from workers.outbox import absolute_url, queue_email

# Transitions that tell the structure something, each with its templates under
# applications/email/<name>{_subject.txt,.txt,.html}. The jury's transitions (start_review,
# shortlist, select, waitlist, reject) are deliberately absent: a decision reaches the structure
# only by its decision letter, released by staff (applications.domain.letters).
NOTIFIED_TRANSITIONS = {"submit", "request_info", "mark_eligible", "mark_ineligible", "withdraw"}


def recipients(dossier):
    """The members who act for the structure: its owners and editors, each once."""
    return acting_members(dossier.structure_id)


def dossier_link(dossier):
    return absolute_url(reverse("applications:dossier", args=[dossier.pk]))


def transition_happened(dossier, log):
    """Queue the notifications of one logged transition: one e-mail per member who acts for the
    structure, in their own language, keyed so that a retry never queues it twice. The dossier
    machine's `notify`, called by the runner in the transition's transaction."""
    if log.name not in NOTIFIED_TRANSITIONS:
        return []
    context = {
        "dossier": dossier,
        "reference": dossier.reference,
        "call_title": dossier.call.title,
        "structure_name": dossier.structure.name,
        "comment": log.comment,
        "actor_name": log.actor.display_name if log.actor else "",
        "at": log.at,
        "resubmission": log.source == "info_requested",
        "link": dossier_link(dossier),
    }
    queued = []
    for user in recipients(dossier):
        queued.append(
            queue_email(
                key=f"dossier:{dossier.pk}:transition:{log.pk}:{user.pk}",
                to=user.email,
                template=f"applications/email/{log.name}",
                context={**context, "recipient": user},
                language=user.language,
            )
        )
    return queued
