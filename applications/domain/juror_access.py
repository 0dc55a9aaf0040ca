"""What a juror may read: a dossier assigned to them, on which they declared "no conflict"."""

from django.db.models import Exists, OuterRef

from applications.models import Assignment, ConflictDeclaration, ConflictKind, Dossier, DossierState

# A juror never reads a dossier its structure is still writing, nor one it withdrew.
UNREADABLE_STATES = (DossierState.DRAFT, DossierState.WITHDRAWN)


def _readable(queryset, user):
    """`queryset` of dossiers narrowed to those `user` may read as a juror."""
    assigned = Assignment.objects.filter(
        dossier=OuterRef("pk"), juror__user=user, juror__accepted_at__isnull=False
    )
    cleared = ConflictDeclaration.objects.filter(
        dossier=OuterRef("pk"), juror__user=user, kind=ConflictKind.NONE
    )
    conflicted = ConflictDeclaration.objects.filter(
        dossier=OuterRef("pk"), juror__user=user
    ).exclude(kind=ConflictKind.NONE)
    return queryset.filter(Exists(assigned), Exists(cleared), ~Exists(conflicted)).exclude(
        state__in=UNREADABLE_STATES
    )


def visible_dossiers_for(user):
    """The dossiers `user` may read as a juror: assigned to them, declared "no conflict"."""
    if not user.is_authenticated:
        return Dossier.objects.none()
    return _readable(Dossier.objects.all(), user)


def can_read_dossier(user, dossier):
    if not (user and user.is_authenticated and dossier):
        return False
    return _readable(Dossier.objects.filter(pk=dossier.pk), user).exists()


def awaiting_declaration(user, dossier):
    """The Assignment when `dossier` is assigned to `user` (accepted juror) who has not declared
    yet on it, else None: the juror must declare before anything else."""
    if not user.is_authenticated or dossier.state in UNREADABLE_STATES:
        return None
    return (
        Assignment.objects.filter(
            dossier=dossier, juror__user=user, juror__accepted_at__isnull=False
        )
        .exclude(
            Exists(
                ConflictDeclaration.objects.filter(
                    juror=OuterRef("juror"), dossier=OuterRef("dossier")
                )
            )
        )
        .select_related("juror")
        .first()
    )
