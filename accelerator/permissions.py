"""Who may do what with structures: small named predicates, combined once, tested once."""

import rules

from accelerator.domain.support_points import follows_accompaniment, follows_structure
from accelerator.models import MemberRole, Membership


@rules.predicate
def is_programme_staff(user):
    return bool(user and user.is_active and user.is_staff)


def _role(user, structure):
    if not (user and user.is_authenticated and structure):
        return None
    # Views that already know the membership pass it on the structure to spare a query.
    cache = getattr(structure, "_roles", None)
    if cache is not None and user.pk in cache:
        return cache[user.pk]
    return (
        Membership.objects.filter(structure=structure, user=user)
        .values_list("role", flat=True)
        .first()
    )


@rules.predicate
def is_structure_member(user, structure):
    return _role(user, structure) is not None


@rules.predicate
def is_structure_editor(user, structure):
    return _role(user, structure) in (MemberRole.OWNER, MemberRole.EDITOR)


@rules.predicate
def is_structure_owner(user, structure):
    return _role(user, structure) == MemberRole.OWNER


@rules.predicate
def is_support_point_of(user, structure):
    """A support point sees a structure only while it is accompanied in its territory (see
    accelerator.domain.support_points); not the other structures of its département."""
    return follows_structure(user, structure)


can_view_structure = is_structure_member | is_programme_staff | is_support_point_of

rules.add_perm("accelerator.view_structure", can_view_structure)
# Every person of a structure is seen by its members and the staff; its support point sees only
# the contacts the owners named (RGPD: the least it needs). Only owners change them.
rules.add_perm("accelerator.view_members", is_structure_member | is_programme_staff)
rules.add_perm("accelerator.view_contacts", can_view_structure)
rules.add_perm("accelerator.change_structure", is_structure_editor | is_programme_staff)
rules.add_perm("accelerator.manage_members", is_structure_owner)
rules.add_perm("accelerator.leave_structure", is_structure_member)


# --- the accompaniment journey. Programme staff see every accompaniment; its référent and the
# programme's managers move it; its support point sees and annotates it but never moves it; the
# structure's members see their own journey.


def managed_programme_ids(user):
    """The programmes `user` manages, read once per user object (a request's user): list pages
    ask this for every row."""
    if not (user and user.is_authenticated and user.is_staff):
        return frozenset()
    cached = getattr(user, "_managed_programme_ids", None)
    if cached is None:
        cached = frozenset(user.managed_programmes.values_list("pk", flat=True))
        user._managed_programme_ids = cached
    return cached


@rules.predicate
def is_superuser(user):
    return bool(user and user.is_active and user.is_superuser)


@rules.predicate
def manages_programme_of(user, obj):
    """`obj` is a cohort or an accompaniment."""
    if obj is None:
        return False
    cohort = getattr(obj, "cohort", obj)
    return cohort.programme_id in managed_programme_ids(user)


@rules.predicate
def is_cohort_referent(user, cohort):
    if not (cohort and user and user.is_authenticated):
        return False
    return cohort.referents.filter(pk=user.pk).exists()


@rules.predicate
def is_accompaniment_referent(user, accompaniment):
    return bool(accompaniment and user and user.is_authenticated) and (
        accompaniment.referent_id == user.pk
    )


@rules.predicate
def is_accompaniment_member(user, accompaniment):
    return bool(accompaniment) and is_structure_member(user, accompaniment.structure)


@rules.predicate
def is_accompaniment_editor(user, accompaniment):
    return bool(accompaniment) and is_structure_editor(user, accompaniment.structure)


@rules.predicate
def is_accompaniment_support_point(user, accompaniment):
    """The support point of the structure's territory, while the accompaniment has not exited."""
    return follows_accompaniment(user, accompaniment)


@rules.predicate
def is_support_point_member(user):
    return bool(user and user.is_authenticated) and user.support_points.exists()


can_steer = is_programme_staff & (is_superuser | is_accompaniment_referent | manages_programme_of)

rules.add_perm(
    "accelerator.see_accompaniment",
    is_programme_staff | is_accompaniment_member | is_accompaniment_support_point,
)
# Moving a structure and recording what the stages need (label decision, seed grant, payments,
# fundraising rounds) belong to the same people.
rules.add_perm("accelerator.move_accompaniment", can_steer)
# Notes and documents: staff and the support point of the structure's territory.
rules.add_perm(
    "accelerator.annotate_accompaniment", is_programme_staff | is_accompaniment_support_point
)
rules.add_perm("accelerator.plan_milestone", is_programme_staff)
rules.add_perm("accelerator.report_obstacle", is_programme_staff | is_accompaniment_editor)
rules.add_perm("accelerator.move_obstacle", is_programme_staff)
rules.add_perm(
    "accelerator.manage_cohort",
    is_programme_staff & (is_superuser | manages_programme_of | is_cohort_referent),
)
# The board: staff see every structure of a cohort, a support point those of its territory.
rules.add_perm("accelerator.see_cohort_board", is_programme_staff | is_support_point_member)
rules.add_perm("accelerator.export_cohort", is_programme_staff)


@rules.predicate
def may_close_milestone(user, milestone):
    """Staff close any milestone; the structure's editors close the ones it owns."""
    if milestone is None:
        return False
    if is_programme_staff(user):
        return True
    return milestone.owner == "structure" and is_accompaniment_editor(user, milestone.accompaniment)


rules.add_perm("accelerator.close_milestone", may_close_milestone)


# --- impact measurement. The structure's members read its plan and reports, its editors write
# them; its référent and the programme's managers agree the plan and validate reports; the
# support point of its territory reads them and comments; other staff read; jurors see nothing.

can_see_impact = is_programme_staff | is_accompaniment_member | is_accompaniment_support_point
rules.add_perm("accelerator.see_impact", can_see_impact)
rules.add_perm("accelerator.plan_impact", is_accompaniment_editor | can_steer)
rules.add_perm("accelerator.report_impact", is_accompaniment_editor)
rules.add_perm("accelerator.publish_impact", is_accompaniment_editor)
rules.add_perm("accelerator.comment_impact", is_programme_staff | is_accompaniment_support_point)
rules.add_perm("accelerator.validate_impact", can_steer)
# The report's machine asks "accelerator.<transition>_impact_report" on the accompaniment.
rules.add_perm("accelerator.start_impact_report", is_accompaniment_editor)
rules.add_perm("accelerator.submit_impact_report", is_accompaniment_editor)
rules.add_perm("accelerator.request_changes_impact_report", can_steer)
rules.add_perm("accelerator.validate_impact_report", can_steer)
# The cohort's and the programme's impact dashboards and exports.
rules.add_perm("accelerator.see_impact_dashboard", is_programme_staff)


# --- notifications (workers): programme staff follow what was sent and send a failed one again.
rules.add_perm("workers.view_deliveries", is_programme_staff)
rules.add_perm("workers.retry_deliveries", is_programme_staff)
