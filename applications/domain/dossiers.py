"""The dossier's machine, declared for the one runner (`accelerator.domain.transitions`): its
conditions, the fields a transition sets with it, and the functions every caller goes through."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accelerator.domain.transitions import (
    Machine,
    TransitionRefused,  # noqa: F401 (callers import it here)
    run,
    run_many,
)
from applications.domain import notifications
from applications.domain.conflicts import after_dossier_transition
from applications.models import Dossier, DossierTransition

# --- conditions: each returns the reasons to refuse (empty when the transition may happen).


def _needs_comment(dossier, actor, comment, data):
    if not comment.strip():
        return [_("Please give a reason: the structure will read it.")]
    return []


def _needs_rationale(dossier, actor, comment, data):
    if not comment.strip():
        return [
            _(
                "Please give the rationale of this decision: the structure reads it once its "
                "letter is released."
            )
        ]
    return []


def _deadline_not_passed(dossier, actor, comment, data):
    if dossier.state == "draft" and dossier.deadline_passed():
        return [_("The call closed: this dossier can no longer be submitted. Your draft is kept.")]
    return []


def _answers_complete(dossier, actor, comment, data):
    from applications.domain.completeness import missing_answers
    from applications.domain.form_definition import form_definition, questions

    problems = missing_answers(dossier)
    if not problems:
        return []
    labels = [q.label for q in questions(form_definition(dossier)) if q.id in problems]
    return [
        _("Some answers are missing or need a correction: %(labels)s.")
        % {"labels": ", ".join(labels)}
    ]


DOSSIER = Machine(
    model=Dossier,
    log_model=DossierTransition,
    permission="applications.{name}_dossier",
    select_related=("call", "structure"),
    # Checked on the locked row, once the dossier's state allows the transition.
    conditions={
        "submit": [_deadline_not_passed, _answers_complete],
        "request_info": [_needs_comment],
        "mark_ineligible": [_needs_comment],
        "select": [_needs_rationale],
        "waitlist": [_needs_rationale],
        "reject": [_needs_rationale],
    },
    # Set on the locked row with the state change, in its transaction: saved with it or not at all.
    changeable_fields={
        "shortlist": frozenset({"audition_at", "shortlist_notes"}),
        # When the request was made and the date asked for the reply (its reminders').
        "request_info": frozenset({"info_requested_at", "info_reply_due_at"}),
    },
    # Only the state changes: the automatic assignment starts the review of hundreds at once.
    bulk=frozenset({"start_review"}),
    after=after_dossier_transition,
    notify=notifications.transition_happened,
    refused_message=gettext_lazy("This dossier is “%(state)s”: it cannot be changed this way now."),
    concurrent_message=gettext_lazy(
        "Someone else changed this dossier at the same moment. Reload the page and try again."
    ),
)


def change_state(dossier, name, actor, comment="", changes=None):
    """Run transition `name` on `dossier` for `actor`. Returns the updated dossier.

    `changes` sets fields that belong with the transition (e.g. the audition of a shortlisted
    dossier) on the locked row, so they are saved with the new state or not at all.

    Raises PermissionDenied when the actor may not, TransitionRefused when the dossier's state or a
    condition forbids it (also when the dossier given is stale or a concurrent request changed the
    state first).
    """
    return run(DOSSIER, dossier, name, actor, comment, changes=changes)


def change_states(dossiers, name, actor, comment=""):
    """Run transition `name` on many dossiers for `actor`, as `change_state` does for one (same
    permission, conditions, log and notifications), with one lock, one update per source state
    and one insert of the log. Returns (the changed dossiers, {dossier id: reasons} for those
    refused); a refused dossier does not stop the others."""
    return run_many(DOSSIER, dossiers, name, actor, comment)
