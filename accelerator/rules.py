"""Who may do what with structures: small named predicates, combined once, tested once."""

import rules

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
    if not (user and user.is_authenticated and structure):
        return False
    return user.support_points.filter(department_id=structure.department_id).exists()


can_view_structure = is_structure_member | is_programme_staff | is_support_point_of

rules.add_perm("accelerator.view_structure", can_view_structure)
# The people of a structure are seen by those who see the structure; only owners change them.
rules.add_perm("accelerator.view_members", can_view_structure)
rules.add_perm("accelerator.change_structure", is_structure_editor | is_programme_staff)
rules.add_perm("accelerator.manage_members", is_structure_owner)
rules.add_perm("accelerator.leave_structure", is_structure_member)


# --- the accompaniment journey (issue 4). Any programme staff moves a structure (référents and
# managers alike); its support point and its members see the journey but never move it.


@rules.predicate
def is_accompaniment_member(user, accompaniment):
    return bool(accompaniment) and is_structure_member(user, accompaniment.structure)


@rules.predicate
def is_accompaniment_support_point(user, accompaniment):
    return bool(accompaniment) and is_support_point_of(user, accompaniment.structure)


rules.add_perm(
    "accelerator.view_accompaniment",
    is_programme_staff | is_accompaniment_member | is_accompaniment_support_point,
)
rules.add_perm("accelerator.move_accompaniment", is_programme_staff)
rules.add_perm("accelerator.manage_cohort", is_programme_staff)
