"""Who may do what with the agenda and the actors' directory: small named predicates, combined
once, tested once (tests/cms/test_agenda_permissions.py)."""

import rules

from accelerator.permissions import is_programme_staff, is_structure_editor, is_structure_member
from cms.models import ModerationState


@rules.predicate
def is_signed_in(user):
    return bool(user and user.is_authenticated and user.is_active)


@rules.predicate
def is_published(user, obj):
    return obj is not None and obj.state == ModerationState.APPROVED


@rules.predicate
def is_proposer(user, entry):
    return bool(entry and is_signed_in(user)) and entry.proposer_id == user.pk


@rules.predicate
def awaits_proposer(user, obj):
    """Still in the proposer's hands: waiting for moderation or sent back for changes."""
    return obj is not None and obj.state in (
        ModerationState.PROPOSED,
        ModerationState.CHANGES_REQUESTED,
    )


def managed_actor_ids(user):
    """The actors `user` manages, read once per user object (a request's user)."""
    if not is_signed_in(user):
        return frozenset()
    cached = getattr(user, "_managed_actor_ids", None)
    if cached is None:
        cached = frozenset(user.managed_actors.values_list("pk", flat=True))
        user._managed_actor_ids = cached
    return cached


@rules.predicate
def manages_actor(user, actor):
    return actor is not None and actor.pk in managed_actor_ids(user)


@rules.predicate
def manages_organiser(user, entry):
    """The entry's organising actor is one `user` manages (and staff approved)."""
    return bool(entry and entry.organiser_actor_id) and (
        entry.organiser_actor_id in managed_actor_ids(user)
    )


# --- agenda entries
rules.add_perm("cms.propose_agenda_entry", is_signed_in)
rules.add_perm(
    "cms.view_agenda_entry",
    is_published | is_programme_staff | is_proposer | manages_organiser,
)
# The proposer corrects the entry until it is published; then its organiser's managers and staff.
rules.add_perm(
    "cms.change_agenda_entry",
    is_programme_staff | (is_proposer & awaits_proposer) | (manages_organiser & is_published),
)
rules.add_perm("cms.approve_agenda_entry", is_programme_staff)
rules.add_perm("cms.request_changes_agenda_entry", is_programme_staff)
rules.add_perm("cms.reject_agenda_entry", is_programme_staff)
rules.add_perm("cms.resubmit_agenda_entry", is_proposer | is_programme_staff)
rules.add_perm("cms.moderate", is_programme_staff)

# --- actors: anyone signed in proposes one; its managers keep it once staff approve it.
rules.add_perm("cms.propose_actor", is_signed_in)
rules.add_perm("cms.view_actor", is_published | is_programme_staff | manages_actor)
rules.add_perm(
    "cms.change_actor", is_programme_staff | (manages_actor & (is_published | awaits_proposer))
)
rules.add_perm("cms.approve_actor", is_programme_staff)
rules.add_perm("cms.request_changes_actor", is_programme_staff)
rules.add_perm("cms.reject_actor", is_programme_staff)
rules.add_perm("cms.resubmit_actor", manages_actor | is_programme_staff)

# --- the portfolio: a structure's members read what it shows of them; its editors give and
# withdraw its consent (they also choose its public figures), staff record one given in writing.
rules.add_perm("cms.view_portfolio_consent", is_structure_member | is_programme_staff)
rules.add_perm("cms.give_portfolio_consent", is_structure_editor | is_programme_staff)
