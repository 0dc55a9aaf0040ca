"""The roles a signed-in person holds (applicant, juror, support point, accompanied structure,
programme staff), the page each role lands on, and the role they are acting in now.

A person may hold several roles: the programme's staff may sit on a jury, a support point's member
may belong to a structure. Each role is a `RoleKind` whose `probe()` is a database expression on
the user row; every probe is read in one query, once per request (cached on the request's user),
and in none when the user was loaded with them (`role_annotations()`, for an authentication
backend that reads the user with its annotations). Rooms above this one add their roles from
their AppConfig.ready() (`applications` registers the juror), so this module imports none of them.

The role acted in is kept in the session; without a choice, it is the most specific one held.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accelerator.models import Accompaniment, Membership, Stage, SupportPoint, User

# The session key of the role the person chose to act in.
SESSION_KEY = "essor_role"
# Where a probe's value is read on the user object.
PREFIX = "role_probe_"
# An accompanied structure's journey stays its members' page until it exits the programme.
NOT_ACCOMPANIED = [Stage.EXITED]

APPLICANT = "applicant"
ACCOMPANIED = "accompanied"
SUPPORT_POINT = "support_point"
JUROR = "juror"
STAFF = "staff"


@dataclass(frozen=True)
class RoleKind:
    """A kind of role. `probe()` is an expression on User (OuterRef("pk") is the person): a
    truthy value means the role is held, and `landing(value)` is the path of its page. `rank`
    orders the roles from the most general to the most specific (the default is the highest).
    A `fallback` role is held by whoever holds no other role, whatever its probe says."""

    name: str
    label: str
    rank: int
    probe: Callable
    landing: Callable
    fallback: bool = False


@dataclass(frozen=True)
class Role:
    """A role a person holds: its kind's name and label, and the path of its page."""

    name: str
    label: str
    url: str
    rank: int


_kinds: dict[str, RoleKind] = {}


def register_role(kind):
    """Called by the rooms when their app is ready; registering again replaces."""
    _kinds[kind.name] = kind
    return kind


def role_kinds():
    return sorted(_kinds.values(), key=lambda kind: (kind.rank, kind.name))


def role_annotations():
    """The annotations that let `roles_of` read a user's roles with no query of its own."""
    return {PREFIX + kind.name: kind.probe() for kind in role_kinds()}


# --- the programme's own roles -------------------------------------------------------------------


def _is_staff():
    return ExpressionWrapper(Q(is_staff=True, is_active=True), output_field=BooleanField())


def _is_member():
    return Exists(Membership.objects.filter(user=OuterRef("pk")))


def _accompanied_structure():
    """The structure whose journey a member lands on: the newest accompaniment first."""
    accompaniments = (
        Accompaniment.objects.filter(structure__memberships__user=OuterRef("pk"))
        .exclude(stage__in=NOT_ACCOMPANIED)
        .order_by("-cohort__year", "-created_at", "-pk")
        .values("structure_id")[:1]
    )
    return Subquery(accompaniments)


def _is_support_point():
    return Exists(SupportPoint.members.through.objects.filter(user=OuterRef("pk")))


for _kind in (
    RoleKind(
        APPLICANT,
        _("Applicant"),
        10,
        _is_member,
        lambda value: reverse("accelerator:home"),
        fallback=True,
    ),
    RoleKind(
        ACCOMPANIED,
        _("Accompanied structure"),
        20,
        _accompanied_structure,
        lambda value: reverse("accelerator:structure_journey", kwargs={"pk": value}),
    ),
    RoleKind(
        SUPPORT_POINT,
        _("Support point"),
        30,
        _is_support_point,
        lambda value: reverse("accelerator:territory"),
    ),
    RoleKind(
        STAFF,
        _("Programme staff"),
        50,
        _is_staff,
        lambda value: reverse("accelerator:staff_today"),
    ),
):
    register_role(_kind)


# --- reading a person's roles --------------------------------------------------------------------


def _probe_values(user):
    kinds = role_kinds()
    names = [PREFIX + kind.name for kind in kinds]
    if all(hasattr(user, name) for name in names):
        return {kind.name: getattr(user, PREFIX + kind.name) for kind in kinds}
    row = (
        User.objects.filter(pk=user.pk)
        .annotate(**{PREFIX + kind.name: kind.probe() for kind in kinds})
        .values(*names)
        .first()
    ) or {}
    return {kind.name: row.get(PREFIX + kind.name) for kind in kinds}


def roles_of(user):
    """The roles `user` holds, the most specific first: one query the first time for a user
    object, none after (or none at all when it was loaded with `role_annotations()`)."""
    if not (user and user.is_authenticated):
        return []
    cached = getattr(user, "_essor_roles", None)
    if cached is not None:
        return cached
    values = _probe_values(user)
    held = [kind for kind in role_kinds() if not kind.fallback and values[kind.name]]
    held += [kind for kind in role_kinds() if kind.fallback and (values[kind.name] or not held)]
    roles = sorted(
        (Role(kind.name, kind.label, kind.landing(values[kind.name]), kind.rank) for kind in held),
        key=lambda role: -role.rank,
    )
    user._essor_roles = roles
    return roles


def default_role(roles):
    """The most specific role held: staff before juror, support point, accompanied, applicant."""
    return roles[0] if roles else None


def current_role(request):
    """The role the person acts in: the one they chose when they still hold it, else the
    default. None for a visitor who is not signed in."""
    roles = roles_of(request.user)
    chosen = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    for role in roles:
        if role.name == chosen:
            return role
    return default_role(roles)


def switch_role(request, name):
    """Act in role `name` from now on; returns it, or None (nothing kept) when it is not one
    the person holds."""
    for role in roles_of(request.user):
        if role.name == name:
            request.session[SESSION_KEY] = name
            return role
    return None
