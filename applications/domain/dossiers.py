"""The one place a dossier changes state: permission, conditions, save, log, notifications."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, can_proceed

from accelerator.domain.refusals import Refused
from applications.models import Dossier, DossierTransition


class TransitionRefused(Refused):
    """A transition the domain does not allow now; `messages` say why, in the user's language."""


def _needs_comment(dossier, actor, comment):
    if not comment.strip():
        return [_("Please give a reason: the structure will read it.")]
    return []


def _needs_rationale(dossier, actor, comment):
    if not comment.strip():
        return [
            _(
                "Please give the rationale of this decision: the structure reads it once its "
                "letter is released."
            )
        ]
    return []


def _deadline_not_passed(dossier, actor, comment):
    if dossier.state == "draft" and dossier.deadline_passed():
        return [_("The call closed: this dossier can no longer be submitted. Your draft is kept.")]
    return []


def _answers_complete(dossier, actor, comment):
    from applications.domain.answers import form_definition, missing_answers, questions

    problems = missing_answers(dossier)
    if not problems:
        return []
    labels = [q.label for q in questions(form_definition(dossier)) if q.id in problems]
    return [
        _("Some answers are missing or need a correction: %(labels)s.")
        % {"labels": ", ".join(labels)}
    ]


# Conditions checked on the locked row, before the transition; each returns reasons to refuse.
VETOES = {
    "submit": [_deadline_not_passed, _answers_complete],
    "request_info": [_needs_comment],
    "mark_ineligible": [_needs_comment],
    "select": [_needs_rationale],
    "waitlist": [_needs_rationale],
    "reject": [_needs_rationale],
}

# Fields a transition may set on the locked row, with the state change and in its transaction.
CHANGEABLE_FIELDS = {
    "shortlist": {"audition_at", "shortlist_notes"},
}


def change_state(dossier, name, actor, comment="", changes=None):
    """Run transition `name` on `dossier` for `actor`. Returns the updated dossier.

    `changes` sets fields that belong with the transition (CHANGEABLE_FIELDS, e.g. the audition of
    a shortlisted dossier) on the locked row, so they are saved with the new state or not at all.

    Raises PermissionDenied when the actor may not, TransitionRefused when the dossier's state or a
    condition forbids it (also when a concurrent request changed the state first).
    """
    if not actor.has_perm(f"applications.{name}_dossier", dossier):
        raise PermissionDenied
    changes = changes or {}
    unexpected = set(changes) - CHANGEABLE_FIELDS.get(name, set())
    if unexpected:
        raise ValueError(f"{name} cannot change {', '.join(sorted(unexpected))}")
    try:
        with transaction.atomic():
            # The row lock makes two concurrent requests run one after the other; the second then
            # finds the new state and is refused instead of repeating the transition.
            locked = (
                Dossier.objects.select_for_update()
                .select_related("call", "structure")
                .get(pk=dossier.pk)
            )
            method = getattr(locked, name)
            if not can_proceed(method):
                raise TransitionRefused(
                    _("This dossier is “%(state)s”: it cannot be changed this way now.")
                    % {"state": locked.get_state_display()}
                )
            reasons = [r for veto in VETOES.get(name, []) for r in veto(locked, actor, comment)]
            if reasons:
                raise TransitionRefused(reasons)
            source = locked.state
            method()
            for field, value in changes.items():
                setattr(locked, field, value)
            locked.save()
            log = DossierTransition.objects.create(
                dossier=locked,
                actor=actor,
                name=name,
                source=source,
                target=locked.state,
                comment=comment,
            )
            from applications.domain import notifications

            notifications.transition_happened(locked, log)
    except ConcurrentTransition as error:
        raise TransitionRefused(
            _(
                "Someone else changed this dossier at the same moment. "
                "Reload the page and try again."
            )
        ) from error
    return locked


# Transitions whose method changes nothing but the state: `change_states` runs them on many
# dossiers at once (the automatic assignment starts the review of hundreds of dossiers).
BULK_TRANSITIONS = {"start_review"}


def change_states(dossiers, name, actor, comment=""):
    """Run transition `name` on many dossiers for `actor`, as `change_state` does for one (same
    permission, conditions, log and notifications), with one lock, one update per source state
    and one insert of the log. Returns (the changed dossiers, {dossier id: reasons} for those
    refused); a refused dossier does not stop the others."""
    if name not in BULK_TRANSITIONS:
        raise ValueError(f"{name} changes more than the state: use change_state")
    dossiers = list(dossiers)
    for dossier in dossiers:
        if not actor.has_perm(f"applications.{name}_dossier", dossier):
            raise PermissionDenied
    from applications.domain import notifications

    changed, refused, sources = [], {}, {}
    with transaction.atomic():
        locked = (
            Dossier.objects.select_for_update(of=("self",))
            .select_related("call", "structure")
            .filter(pk__in=[d.pk for d in dossiers])
            .order_by("pk")
        )
        for dossier in locked:
            method = getattr(dossier, name)
            if not can_proceed(method):
                refused[dossier.pk] = [
                    _("This dossier is “%(state)s”: it cannot be changed this way now.")
                    % {"state": dossier.get_state_display()}
                ]
                continue
            reasons = [r for veto in VETOES.get(name, []) for r in veto(dossier, actor, comment)]
            if reasons:
                refused[dossier.pk] = reasons
                continue
            sources[dossier.pk] = dossier.state
            method()
            changed.append(dossier)
        by_source = {}
        for dossier in changed:
            by_source.setdefault((sources[dossier.pk], dossier.state), []).append(dossier.pk)
        for (source, target), ids in by_source.items():
            # The rows are locked: the guard on the source state only repeats what the lock ensures.
            Dossier.objects.filter(pk__in=ids, state=source).update(state=target)
        logs = DossierTransition.objects.bulk_create(
            DossierTransition(
                dossier=dossier,
                actor=actor,
                name=name,
                source=sources[dossier.pk],
                target=dossier.state,
                comment=comment,
            )
            for dossier in changed
        )
        for dossier, log in zip(changed, logs, strict=True):
            notifications.transition_happened(dossier, log)
    return changed, refused
