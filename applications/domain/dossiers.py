"""The one place a dossier changes state: permission, conditions, save, log, notifications."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, can_proceed

from applications.models import Dossier, DossierTransition


class TransitionRefused(Exception):
    """A transition the domain does not allow now; `messages` say why, in the user's language."""

    def __init__(self, messages):
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("; ".join(str(m) for m in self.messages))


def _needs_comment(dossier, actor, comment):
    if not comment.strip():
        return [_("Please give a reason: the structure will read it.")]
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
}


def change_state(dossier, name, actor, comment=""):
    """Run transition `name` on `dossier` for `actor`. Returns the updated dossier.

    Raises PermissionDenied when the actor may not, TransitionRefused when the dossier's state or a
    condition forbids it (also when a concurrent request changed the state first).
    """
    if not actor.has_perm(f"applications.{name}_dossier", dossier):
        raise PermissionDenied
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
