"""What jurors are told, shared by the staff's actions and the reminder rules: the topics, the
notices (new assignments, declarations to make, reviews owed) and the way a notice reaches a
juror outside the engine."""

import hashlib

from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy, ngettext

from workers import outbox, preferences
from workers.models import Delivery, Notification, OutboxMessage
from workers.outbox import absolute_url
from workers.reminders import PARIS, Notice, email_for

# Essential: one's own review deadlines. Routine: new assignments, declarations to make.
JURY_REVIEWS = "jury_reviews"
JURY_NEWS = "jury_news"
TOPIC_LABELS = {
    JURY_REVIEWS: gettext_lazy("Jury: my review deadlines"),
    JURY_NEWS: gettext_lazy("Jury: new dossiers and conflict declarations"),
}


def one_dossier(items):
    """The dossier id when `items` (pairs of dossier id and reference) concern only one."""
    return items[0][0] if len(items) == 1 else None


def link_to(call_id, items, single_page):
    """The exact page: `single_page` ("applications:review", "applications:juror_declare") of
    the dossier when there is one, else the juror's page of the call."""
    dossier_id = one_dossier(items)
    if dossier_id is not None:
        return reverse(single_page, kwargs={"dossier_id": dossier_id})
    return reverse("applications:juror_call", args=[call_id])


def about(call_id, items):
    dossier_id = one_dossier(items)
    return f"dossier:{dossier_id}" if dossier_id is not None else f"call:{call_id}"


def references(items, blind):
    """What a notice may name of the dossiers: their references, nothing when the call is blind
    (and never the structure)."""
    return [] if blind else [reference for _dossier_id, reference in items]


def assignments_notice(*, call_id, call_title, items, blind):
    """The one notice that tells a juror of their new assignments, whoever sends it: `items` are
    (dossier id, reference) pairs. Call it in the juror's language."""
    count = len(items)
    link = link_to(call_id, items, "applications:juror_declare")
    text = ngettext(
        "%(count)s new dossier to review for “%(call)s”",
        "%(count)s new dossiers to review for “%(call)s”",
        count,
    ) % {"count": count, "call": call_title}
    return Notice(
        text=text,
        link=link,
        template="applications/email/assignments_new",
        context={
            "call_title": call_title,
            "count": count,
            "references": references(items, blind),
            "blind": blind,
            "action_url": absolute_url(link),
        },
        about=about(call_id, items),
        within=f"call:{call_id}",
    )


def _date(moment):
    return formats.date_format(timezone.localtime(moment, PARIS).date(), "j F Y")


def reviews_notice(owed, kind):
    """The reminder of the reviews `owed` (see jury_reminders.Owed): "due" before the phase
    closes, "overdue" after, "asked" when staff remind now."""
    count = len(owed.items)
    if kind == "due":
        text = ngettext(
            "%(count)s review to finish by %(date)s (“%(call)s”)",
            "%(count)s reviews to finish by %(date)s (“%(call)s”)",
            count,
        ) % {"count": count, "date": _date(owed.deadline), "call": owed.call_title}
    elif kind == "overdue":
        text = ngettext(
            "%(count)s review overdue (“%(call)s”)",
            "%(count)s reviews overdue (“%(call)s”)",
            count,
        ) % {"count": count, "call": owed.call_title}
    else:
        text = ngettext(
            "The programme team reminds you of %(count)s review (“%(call)s”)",
            "The programme team reminds you of %(count)s reviews (“%(call)s”)",
            count,
        ) % {"count": count, "call": owed.call_title}
    link = link_to(owed.call_id, owed.items, "applications:review")
    return Notice(
        text=text,
        link=link,
        template="applications/email/jury_reminders/reviews",
        context={
            "kind": kind,
            "call_title": owed.call_title,
            "count": count,
            "to_declare": owed.to_declare,
            "references": references(owed.items, owed.blind),
            "phase_name": owed.phase_name,
            "deadline": owed.deadline,
            "deadline_date": _date(owed.deadline) if owed.deadline else "",
            "phase_open": owed.phase_open,
            "action_url": absolute_url(link),
        },
        about=about(owed.call_id, owed.items),
        within=f"call:{owed.call_id}",
    )


def conflicts_notice(owed):
    """The reminder of the conflict declarations still to make."""
    count = len(owed.items)
    link = link_to(owed.call_id, owed.items, "applications:juror_declare")
    return Notice(
        text=ngettext(
            "%(count)s conflict-of-interest declaration to make (“%(call)s”)",
            "%(count)s conflict-of-interest declarations to make (“%(call)s”)",
            count,
        )
        % {"count": count, "call": owed.call_title},
        link=link,
        template="applications/email/jury_reminders/conflicts",
        context={
            "call_title": owed.call_title,
            "count": count,
            "references": references(owed.items, owed.blind),
            "action_url": absolute_url(link),
        },
        about=about(owed.call_id, owed.items),
        within=f"call:{owed.call_id}",
    )


def assignments_key(call_id, juror_id, assignment_ids):
    """The outbox key of the staff's announcement of exactly these assignments."""
    digest = hashlib.sha256(",".join(str(i) for i in sorted(assignment_ids)).encode()).hexdigest()
    return f"jury:{call_id}:assignments:{juror_id}:{digest[:20]}"


def deliveries(users, topic):
    """{user id: Delivery} for `users` on `topic`, in one query."""
    choices = preferences.deliveries({(user.pk, topic) for user in users})
    return {user.pk: choices.get((user.pk, topic), Delivery.IMMEDIATE) for user in users}


def tell(user, *, topic, key, build, delivery):
    """Give `user` the notice that `build()` makes in their language, as the engine would: in
    the bell, and by e-mail (with a one-click unsubscribe) unless they chose the digest or
    nothing. Keyed: a key already in the outbox tells nothing more. Returns the e-mail or None."""
    if delivery == Delivery.OFF or OutboxMessage.objects.filter(key=key).exists():
        return None
    with translation.override(user.language):
        notice = build()
        email = None
        if delivery == Delivery.IMMEDIATE:
            email = outbox.queue_rendered(
                **email_for(user, notice, preferences.topics()[topic], key)
            )
        Notification.objects.create(
            recipient=user,
            topic=topic,
            text=str(notice.text)[:255],
            link=notice.link,
            about=notice.about,
            within=notice.within,
            email=email,
            in_digest=delivery == Delivery.DIGEST,
        )
    return email
