"""What a support point ("point d'appui") sees: the structures accompanied in its territory and,
of their people, only the contacts the owners named.

A structure counts as accompanied in the territory while one of its accompaniments, in a cohort,
has not exited: paused and alumni structures still count (the programme and its partners keep
following them), an exit ends the follow-up, so the partner no longer reads the structure's data
(RGPD: no purpose left). Non-accompanied structures of the département stay out of sight.
"""

from django.db.models import Q

from accelerator.models import Accompaniment, Membership, Stage, User

# The stage after which a support point no longer follows an accompaniment.
NOT_FOLLOWED = [Stage.EXITED]


def followed_q(departments, prefix=""):
    """A filter on accompaniments (or on rows reached through `prefix`, e.g. "accompaniments__")
    that a support point of `departments` follows."""
    return Q(**{f"{prefix}structure__department__in": departments}) & ~Q(
        **{f"{prefix}stage__in": NOT_FOLLOWED}
    )


def follows_structure(user, structure):
    """Whether a support point `user` belongs to follows `structure` (one query)."""
    if not (user and user.is_authenticated and structure):
        return False
    return (
        Accompaniment.objects.filter(
            structure_id=structure.pk,
            structure__department__support_points__members=user,
        )
        .exclude(stage__in=NOT_FOLLOWED)
        .exists()
    )


def follows_accompaniment(user, accompaniment):
    """Whether a support point `user` belongs to follows `accompaniment` (one query)."""
    if not (user and user.is_authenticated and accompaniment):
        return False
    if accompaniment.stage in NOT_FOLLOWED:
        return False
    return user.support_points.filter(department_id=accompaniment.structure.department_id).exists()


def contacts(structure):
    """The memberships a support point sees of `structure`: its contacts, by name (one query)."""
    return (
        Membership.objects.filter(structure=structure, is_contact=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__email")
    )


def hidden_names(people, structure):
    """The pks of `people` whose name a reader who sees only the contacts of `structure` may
    not read: everyone but the programme staff, support point members and the contacts. One
    query, none when there is nobody to check."""
    pks = {person.pk for person in people if person is not None}
    if not pks:
        return set()
    shown = (
        User.objects.filter(pk__in=pks)
        .filter(
            Q(is_staff=True)
            | Q(support_points__isnull=False)
            | Q(memberships__structure=structure, memberships__is_contact=True)
        )
        .values_list("pk", flat=True)
    )
    return pks - set(shown)
