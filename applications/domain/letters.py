"""Decision letters: a call's templates per outcome, one letter per decided dossier held as drafts
in the outbox, edited one by one, then released together at the time staff choose."""

import hashlib
import re
from collections import defaultdict
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from accelerator.domain.refusals import Refused
from applications.domain.deliberation import DECIDED_STATES, DECISIONS
from applications.domain.notifications import recipients, tell
from applications.models import (
    DecisionLetter,
    DecisionLetterTemplate,
    DecisionOutcome,
    Dossier,
    DossierTransition,
    Score,
)
from workers import outbox
from workers.models import Notification, OutboxMessage, OutboxStatus

PLACEHOLDERS = ("structure", "call", "reference", "feedback", "rationale", "dossier_url")
PLACEHOLDER = re.compile(r"\{(\w+)\}")
# A letter whose release is this close is no longer changed: a worker may be sending it.
RELEASE_MARGIN = timedelta(minutes=1)
EMAIL_TEMPLATE = "applications/email/decision_letter"


# The texts a call's templates start from, in the language of the staff who first open them.
DEFAULT_SUBJECTS = {
    # Translators: keep the words in braces: they are replaced for each dossier.
    DecisionOutcome.SELECTED: pgettext_lazy(
        "decision letter", "Your dossier {reference} is selected — {call}"
    ),
    # Translators: keep the words in braces: they are replaced for each dossier.
    DecisionOutcome.WAITLISTED: pgettext_lazy(
        "decision letter", "Your dossier {reference} is on the waiting list — {call}"
    ),
    # Translators: keep the words in braces: they are replaced for each dossier.
    DecisionOutcome.REJECTED: pgettext_lazy(
        "decision letter", "The decision on your dossier {reference} — {call}"
    ),
}

DEFAULT_BODIES = {
    # Translators: keep the words in braces: they are replaced for each dossier.
    DecisionOutcome.SELECTED: pgettext_lazy(
        "decision letter",
        "Dear {structure} team,\n\n"
        "We are delighted to tell you that the selection committee chose your dossier "
        "{reference} for the call “{call}”.\n\n"
        "{rationale}\n\n"
        "{feedback}\n\n"
        "The programme team will contact you shortly about the next steps. Your dossier stays "
        "available here: {dossier_url}\n\n"
        "Congratulations, and welcome to the programme!\n"
        "The programme team",
    ),
    # Translators: keep the words in braces: they are replaced for each dossier.
    DecisionOutcome.WAITLISTED: pgettext_lazy(
        "decision letter",
        "Dear {structure} team,\n\n"
        "The selection committee placed your dossier {reference} for the call “{call}” on the "
        "waiting list: if a place becomes free in the cohort, it will be offered to you and we "
        "will tell you at once.\n\n"
        "{rationale}\n\n"
        "{feedback}\n\n"
        "Your dossier stays available here: {dossier_url}\n\n"
        "With our best wishes,\n"
        "The programme team",
    ),
    # Translators: keep the words in braces: they are replaced for each dossier.
    DecisionOutcome.REJECTED: pgettext_lazy(
        "decision letter",
        "Dear {structure} team,\n\n"
        "Thank you for applying to the call “{call}” with the dossier {reference}. After reading "
        "every dossier, the selection committee decided not to select yours this time.\n\n"
        "{rationale}\n\n"
        "{feedback}\n\n"
        "We know how much work a dossier takes. The support point of your département can help "
        "you prepare a future application. Your dossier stays available here: {dossier_url}\n\n"
        "With our best wishes for your project,\n"
        "The programme team",
    ),
}

FEEDBACK_HEADING = gettext_lazy("What the jury noted about your dossier:")
BELL_TEXT = gettext_lazy("The decision letter on the dossier %(reference)s for “%(call)s” is out")


def _check(actor):
    if not actor.has_perm("applications.manage_decision_letters"):
        raise PermissionDenied


# --- templates and placeholders ---------------------------------------------------------------


def letter_templates(call, language):
    """The call's template for each outcome, created from the default texts in `language` (the
    staff's) the first time they are asked for. Returns {outcome: DecisionLetterTemplate}."""
    templates = {t.outcome: t for t in DecisionLetterTemplate.objects.filter(call=call)}
    missing = [outcome for outcome in DecisionOutcome.values if outcome not in templates]
    if missing:
        with translation.override(language):
            for outcome in missing:
                template, _created = DecisionLetterTemplate.objects.get_or_create(
                    call=call,
                    outcome=outcome,
                    defaults={
                        "subject": str(DEFAULT_SUBJECTS[outcome]),
                        "body": str(DEFAULT_BODIES[outcome]),
                    },
                )
                templates[outcome] = template
    return {outcome: templates[outcome] for outcome in DecisionOutcome.values}


def unknown_placeholders(text):
    """The words in braces that are not placeholders (a typo would reach the applicant as is)."""
    return sorted({name for name in PLACEHOLDER.findall(text) if name not in PLACEHOLDERS})


def fill(text, values):
    """`text` with each known {placeholder} replaced; any other brace is kept as typed. An empty
    value leaves no run of blank lines behind."""
    filled = PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), text)
    return re.sub(r"\n{3,}", "\n\n", filled).strip()


def shared_scores(dossier_ids):
    """The per-criterion comments that staff chose to share, of submitted reviews only, by dossier
    id, in grid order. Never the juror: the letter quotes what was said, not who said it."""
    scores = (
        Score.objects.filter(
            review__assignment__dossier_id__in=dossier_ids,
            review__submitted_at__isnull=False,
            shared_with_applicant=True,
        )
        .exclude(comment="")
        .select_related("criterion", "review__assignment")
        .order_by("criterion__sort_order", "criterion__pk", "pk")
    )
    by_dossier = defaultdict(list)
    for score in scores:
        by_dossier[score.review.assignment.dossier_id].append(score)
    return by_dossier


def feedback_text(scores):
    """The shared comments grouped by criterion, as plain text ("" when none is shared)."""
    if not scores:
        return ""
    lines = [str(FEEDBACK_HEADING)]
    current = None
    for score in scores:
        if score.criterion_id != current:
            current = score.criterion_id
            lines.append("")
            lines.append(f"{score.criterion.title}:")
        lines.append(f"– {score.comment.strip()}")
    return "\n".join(lines)


def _rationales(dossiers):
    """The rationale of each dossier's current decision, by dossier id."""
    logs = DossierTransition.objects.filter(
        dossier__in=[d.pk for d in dossiers], name__in=DECISIONS
    ).order_by("at", "pk")
    states = {d.pk: d.state for d in dossiers}
    rationale = {}
    for log in logs:
        if log.target == states[log.dossier_id]:
            rationale[log.dossier_id] = log.comment
    return rationale


def letter_values(dossier, *, scores, rationale):
    return {
        "structure": dossier.structure.name,
        "call": dossier.call.title,
        "reference": dossier.reference,
        "feedback": feedback_text(scores),
        "rationale": rationale,
        "dossier_url": outbox.absolute_url(reverse("applications:dossier", args=[dossier.pk])),
    }


def _render(template, dossier, *, scores, rationale):
    values = letter_values(dossier, scores=scores, rationale=rationale)
    subject = " ".join(fill(template.subject, values).split())
    return subject[:255], fill(template.body, values)


# --- the outbox messages of a letter ----------------------------------------------------------


def _key_prefix(letter):
    return f"decision-letter:{letter.pk}:"


def letter_messages(letter):
    """The outbox rows of a letter (drafts, pending, sent), newest text first."""
    return OutboxMessage.objects.filter(key__startswith=_key_prefix(letter)).order_by("-pk")


def _version(letter):
    # A new text gets new keys; the same text (after an edit undone) gets the same ones.
    text = f"{letter.outcome}\n{letter.prepared_at.timestamp()}\n{letter.subject}\n{letter.body}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _discard_unsent(letter, now):
    """Delete the letter's messages nobody can be sending: drafts, and those scheduled later.
    One DELETE with the condition in it, so a row a worker claimed meanwhile is left alone;
    the bell entries of those scheduled go with them."""
    unsent = letter_messages(letter).filter(
        Q(status=OutboxStatus.DRAFT) | Q(status=OutboxStatus.PENDING, send_after__gt=now)
    )
    Notification.objects.filter(email__in=unsent).delete()
    unsent.delete()


def _tell(dossier, members, messages, released, at):
    """The bell entry of each member whose letter (`released`, message ids) goes at `at`: dated
    then, so that a scheduled letter shows in the bell when it is sent (the bell lists only
    what is dated now or before)."""
    told = [
        tell(user, dossier, BELL_TEXT, message).pk
        for user, message in zip(members, messages, strict=True)
        if message.pk in released
    ]
    if told and at > timezone.now():
        Notification.objects.filter(pk__in=told).update(created_at=at)


def _queue(letter, members):
    """Queue the letter to each member as a held draft; if its release is scheduled, schedule the
    new drafts for the same moment. Queuing the same text twice keeps one message per member."""
    dossier = letter.dossier
    version = _version(letter)
    messages = [
        outbox.queue_email(
            key=f"{_key_prefix(letter)}{version}:{user.pk}",
            to=user.email,
            template=EMAIL_TEMPLATE,
            context={
                "recipient": user,
                "letter_subject": letter.subject,
                "letter_body": letter.body,
                "action_url": outbox.absolute_url(
                    reverse("applications:dossier", args=[dossier.pk])
                ),
            },
            language=user.language,
            hold=True,
        )
        for user in members
    ]
    drafts = [m.pk for m in messages if m.status == OutboxStatus.DRAFT]
    if letter.release_at is not None and drafts:
        at = max(letter.release_at, timezone.now())
        outbox.release(drafts, send_after=at)
        _tell(dossier, members, messages, set(drafts), at)
    return messages


def is_locked(letter, now=None):
    """Released, or about to be: its text and its messages no longer change."""
    now = now or timezone.now()
    return letter.release_at is not None and letter.release_at <= now + RELEASE_MARGIN


def is_current(letter, dossier):
    """The letter says the dossier's present decision."""
    return letter is not None and letter.outcome == dossier.state


# --- preparing, editing, releasing -----------------------------------------------------------


def prepare_letters(call, actor):
    """Write a letter for every decided dossier of the call that has none, or whose letter says
    an earlier decision (waitlisted, then selected), and hold its e-mails as drafts. Letters
    already written for the present decision keep their edits. Returns the number written."""
    _check(actor)
    now = timezone.now()
    written = 0
    # The letters are written in the staff's language, like the templates (the feedback heading).
    with transaction.atomic(), translation.override(actor.language):
        templates = letter_templates(call, actor.language)
        dossiers = list(
            Dossier.objects.select_for_update(of=("self",))
            .filter(call=call, state__in=DECIDED_STATES)
            .select_related("structure", "call")
            .order_by("reference")
        )
        letters = {
            letter.dossier_id: letter
            for letter in DecisionLetter.objects.select_for_update(of=("self",)).filter(
                dossier__in=[d.pk for d in dossiers]
            )
        }
        stale = [d for d in dossiers if not is_current(letters.get(d.pk), d)]
        stale_ids = {d.pk for d in stale}
        scores = shared_scores(stale_ids)
        rationales = _rationales(stale)
        for dossier in dossiers:
            letter = letters.get(dossier.pk)
            if dossier.pk in stale_ids:
                subject, body = _render(
                    templates[dossier.state],
                    dossier,
                    scores=scores.get(dossier.pk, []),
                    rationale=rationales.get(dossier.pk, ""),
                )
                if letter is None:
                    letter = DecisionLetter(dossier=dossier)
                elif not is_locked(letter, now):
                    _discard_unsent(letter, now)
                # A released letter's messages stay as they went; the new one starts afresh.
                letter.outcome = dossier.state
                letter.subject, letter.body = subject, body
                letter.prepared_at, letter.prepared_by = now, actor
                letter.release_at, letter.released_by = None, None
                letter.save()
                written += 1
            elif is_locked(letter, now):
                continue
            letter.dossier = dossier
            _queue(letter, recipients(dossier))
    return written


def edit_letter(letter, actor, *, subject, body):
    """Change one letter's text; its held e-mails are written again with the new text."""
    _check(actor)
    now = timezone.now()
    with transaction.atomic():
        locked = (
            DecisionLetter.objects.select_for_update(of=("self",))
            .select_related("dossier", "dossier__structure", "dossier__call")
            .get(pk=letter.pk)
        )
        if is_locked(locked, now):
            raise Refused(_("This letter is released: it can no longer be changed."))
        _discard_unsent(locked, now)
        locked.subject, locked.body = " ".join(subject.split())[:255], body.strip()
        locked.save(update_fields=["subject", "body"])
        _queue(locked, recipients(locked.dossier))
    return locked


def rewrite_letter(letter, actor):
    """Write one letter again from its template, with the feedback shared now."""
    _check(actor)
    dossier = letter.dossier
    template = letter_templates(dossier.call, actor.language)[letter.outcome]
    with translation.override(actor.language):
        subject, body = _render(
            template,
            dossier,
            scores=shared_scores([dossier.pk]).get(dossier.pk, []),
            rationale=_rationales([dossier]).get(dossier.pk, ""),
        )
    return edit_letter(letter, actor, subject=subject, body=body)


def share_comments(dossier, actor, score_ids):
    """Share with the structure exactly the comments `score_ids` among the dossier's scores."""
    _check(actor)
    scores = Score.objects.filter(review__assignment__dossier=dossier)
    with transaction.atomic():
        scores.filter(pk__in=score_ids).update(shared_with_applicant=True)
        scores.exclude(pk__in=score_ids).update(shared_with_applicant=False)


def letter_counts(call, now=None):
    """What the letters page summarises of the call's decided dossiers, in one grouped query:
    {"decided", "not_ready" (no letter for the present decision), "held" (prepared, no release
    set), "scheduled" (to be released later)}."""
    now = now or timezone.now()
    current = Q(decision_letter__isnull=False, decision_letter__outcome=F("state"))
    return Dossier.objects.filter(call=call, state__in=DECIDED_STATES).aggregate(
        decided=Count("pk"),
        not_ready=Count("pk", filter=~current),
        held=Count(
            "pk",
            filter=Q(decision_letter__isnull=False, decision_letter__release_at__isnull=True),
        ),
        scheduled=Count("pk", filter=Q(decision_letter__release_at__gt=now)),
    )


def letters_not_ready(call):
    """The decided dossiers of the call with no letter for their present decision."""
    return [
        dossier
        for dossier in Dossier.objects.filter(call=call, state__in=DECIDED_STATES)
        .select_related("decision_letter")
        .order_by("reference")
        if not is_current(getattr(dossier, "decision_letter", None), dossier)
    ]


def release_letters(call, actor, release_at=None):
    """Release every letter of the call not yet released, together, at `release_at` (now when
    None or past). Refused while a decided dossier has no letter for its present decision, so
    that no structure learns its decision before the others. Returns the number released."""
    _check(actor)
    now = timezone.now()
    send_after = release_at if release_at is not None and release_at > now else None
    with transaction.atomic():
        letters = list(
            DecisionLetter.objects.select_for_update(of=("self",))
            .filter(dossier__call=call)
            .select_related("dossier", "dossier__structure", "dossier__call")
        )
        missing = letters_not_ready(call)
        if missing:
            raise Refused(
                ngettext(
                    "%(count)d decided dossier has no letter for its decision yet: prepare the "
                    "letters first.",
                    "%(count)d decided dossiers have no letter for their decision yet: prepare "
                    "the letters first.",
                    len(missing),
                )
                % {"count": len(missing)}
            )
        to_release = [
            letter
            for letter in letters
            if not is_locked(letter, now) and is_current(letter, letter.dossier)
        ]
        if not to_release:
            raise Refused(_("There is no prepared letter waiting to be released."))
        message_ids, queued = [], []
        for letter in to_release:
            if letter.release_at is not None:
                # Scheduled before: take its messages back as drafts to schedule them anew.
                _discard_unsent(letter, now)
                letter.release_at = None
            members = recipients(letter.dossier)
            messages = _queue(letter, members)
            message_ids += [m.pk for m in messages if m.status == OutboxStatus.DRAFT]
            queued.append((letter.dossier, members, messages))
            letter.release_at, letter.released_by = send_after or now, actor
            letter.save(update_fields=["release_at", "released_by"])
        outbox.release(message_ids, send_after=send_after)
        for dossier, members, messages in queued:
            _tell(dossier, members, messages, set(message_ids), send_after or now)
    return len(to_release)


def cancel_release(call, actor):
    """Take back the letters scheduled for later: they become held drafts again."""
    _check(actor)
    now = timezone.now()
    cancelled = 0
    with transaction.atomic():
        letters = (
            DecisionLetter.objects.select_for_update(of=("self",))
            .filter(dossier__call=call, release_at__gt=now + RELEASE_MARGIN)
            .select_related("dossier", "dossier__structure", "dossier__call")
        )
        for letter in letters:
            _discard_unsent(letter, now)
            letter.release_at, letter.released_by = None, None
            letter.save(update_fields=["release_at", "released_by"])
            _queue(letter, recipients(letter.dossier))
            cancelled += 1
    return cancelled
