"""The e-mails a dossier's transitions send, queued in the outbox within the transition, each
with its entry in the recipient's bell."""

from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accelerator.domain.members import acting_members
from applications.domain.receipts import receipt_number
from workers.outbox import absolute_url, queue_email
from workers.reminders import PARIS, notify

# Transitions that tell the structure something, each with its templates under
# applications/email/<name>{_subject.txt,.txt,.html}. The jury's transitions (start_review,
# shortlist, select, waitlist, reject) are deliberately absent: a decision reaches the structure
# only by its decision letter, released by staff (applications.domain.letters).
NOTIFIED_TRANSITIONS = {"submit", "request_info", "mark_eligible", "mark_ineligible", "withdraw"}

# The bell's line for each, read in the recipient's language.
BELL_TEXTS = {
    "submit": gettext_lazy("The dossier %(reference)s for “%(call)s” is submitted"),
    "resubmit": gettext_lazy("The dossier %(reference)s for “%(call)s” is submitted again"),
    "request_info": gettext_lazy(
        "The programme team asks for more information on the dossier %(reference)s for “%(call)s”"
    ),
    "mark_eligible": gettext_lazy("The dossier %(reference)s for “%(call)s” is eligible"),
    "mark_ineligible": gettext_lazy("The dossier %(reference)s for “%(call)s” is not eligible"),
    "withdraw": gettext_lazy("The dossier %(reference)s for “%(call)s” is withdrawn"),
}
# The topic of these entries (applications.domain.reminders registers it).
NEWS = "dossier_news"


def recipients(dossier):
    """The members who act for the structure: its owners and editors, each once."""
    return acting_members(dossier.structure_id)


def dossier_path(dossier):
    return reverse("applications:dossier", args=[dossier.pk])


def dossier_link(dossier):
    return absolute_url(dossier_path(dossier))


def paris_moment(moment):
    """“15 February 2027 at 17:00 (Paris time)”, in the active language."""
    local = timezone.localtime(moment, PARIS)
    return _("%(date)s at %(time)s (Paris time)") % {
        "date": formats.date_format(local, "j F Y"),
        "time": formats.time_format(local, "H:i"),
    }


def tell(user, dossier, text, email, **values):
    """Put `text` (lazy, with the dossier's reference and call, and `values`: callables are
    called in the recipient's language) in `user`'s bell, beside the e-mail `email` that says
    the same thing."""
    with translation.override(user.language):
        values = {name: value() if callable(value) else value for name, value in values.items()}
        line = str(text) % {"reference": dossier.reference, "call": dossier.call.title, **values}
    return notify(
        user,
        topic=NEWS,
        text=line,
        link=dossier_path(dossier),
        about=f"dossier:{dossier.pk}",
        within=f"structure:{dossier.structure_id}",
        email=email,
    )


def transition_happened(dossier, log):
    """Queue the notifications of one logged transition: one e-mail per member who acts for the
    structure, in their own language, keyed so that a retry never queues it twice, and its line
    in their bell. The dossier machine's `notify`, called by the runner in the transition's
    transaction."""
    if log.name not in NOTIFIED_TRANSITIONS:
        return []
    resubmission = log.source == "info_requested"
    context = {
        "dossier": dossier,
        "reference": dossier.reference,
        "call_title": dossier.call.title,
        "structure_name": dossier.structure.name,
        "comment": log.comment,
        "actor_name": log.actor.display_name if log.actor else "",
        "at": log.at,
        "resubmission": resubmission,
        "reply_due_at": dossier.info_reply_due_at if log.name == "request_info" else None,
        "link": dossier_link(dossier),
        # The structure keeps it as proof of submission; the PDF carries the same number.
        "receipt": receipt_number(dossier) if log.name == "submit" else "",
    }
    text = BELL_TEXTS["resubmit" if log.name == "submit" and resubmission else log.name]
    queued = []
    for user in recipients(dossier):
        message = queue_email(
            key=f"dossier:{dossier.pk}:transition:{log.pk}:{user.pk}",
            to=user.email,
            template=f"applications/email/{log.name}",
            context={**context, "recipient": user},
            language=user.language,
        )
        tell(user, dossier, text, message)
        queued.append(message)
    return queued
