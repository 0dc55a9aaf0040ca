"""A call's jury: inviting jurors, their acceptance, removal, what each juror may read. Blind
mode (what a juror reads of a dossier when the review hides the applicant) is in `blind`.

Rules:
- staff invite by e-mail; inviting the same address again updates and re-sends the one invitation;
- the link (valid `Juror.INVITATION_VALIDITY` from the last sending) is accepted by a user whose
  verified address is the invited one, or by a visitor who creates their account from it (the link
  proves the address, so it is verified at once);
- a juror reads a dossier only if it is assigned to them and they declared "no conflict" on it;
- a juror with a submitted review stays on the jury (their review counts in the ranking).
"""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, Func, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accelerator.models import User

# Blind mode moved to its own module; these names stay importable from here for older callers.
from applications.domain.blind import (  # noqa: F401
    JurorView,
    active_phase,
    dossier_label,
    identity_scrubber,
    is_blind,
    juror_files,
    juror_view,
    neutral_code,
    neutral_file_name,
    partner_names,
    partner_rows,
)
from applications.models import (
    Assignment,
    ConflictDeclaration,
    ConflictKind,
    Dossier,
    DossierState,
    Juror,
    JurorRole,
    Review,
)
from workers.outbox import absolute_url, queue_email

# A juror never reads a dossier its structure is still writing, nor one it withdrew.
UNREADABLE_STATES = (DossierState.DRAFT, DossierState.WITHDRAWN)


class JuryRefused(Exception):
    """A change the jury's rules forbid; `message` says why, in the user's language."""

    def __init__(self, message):
        self.message = message
        super().__init__(message)


def normalise_email(email):
    return (email or "").strip().lower()


def _require_staff(actor):
    if actor is None or not actor.has_perm("applications.manage_dossiers"):
        raise PermissionDenied


# --- invitations ----------------------------------------------------------------------------


def invitation_expires_at(juror):
    return juror.invited_at + Juror.INVITATION_VALIDITY


def invitation_expired(juror, now=None):
    return not juror.has_accepted and (now or timezone.now()) >= invitation_expires_at(juror)


def invite_juror(call, email, role, department=None, organisation="", actor=None):
    """Invite `email` onto `call`'s jury with `role` and e-mail them the link; returns the Juror.

    The same address invited again keeps its one Juror row: role, département and organisation
    are updated; a pending invitation gets a fresh validity and is sent again.
    """
    _require_staff(actor)
    email = normalise_email(email)
    if not email:
        raise JuryRefused(_("Please give the juror's e-mail address."))
    if role not in JurorRole.values:
        raise JuryRefused(_("Please choose a role from the list."))
    organisation = (organisation or "").strip()
    with transaction.atomic():
        juror = Juror.objects.select_for_update().filter(call=call, email=email).first()
        if juror is None:
            try:
                with transaction.atomic():
                    juror = Juror.objects.create(
                        call=call,
                        email=email,
                        role=role,
                        department=department,
                        organisation=organisation,
                        invited_by=actor,
                    )
            except IntegrityError:
                # A concurrent request invited the same address: that row is the one.
                juror = Juror.objects.select_for_update().get(call=call, email=email)
        juror.role = role
        juror.department = department
        juror.organisation = organisation
        fields = ["role", "department", "organisation"]
        if not juror.has_accepted:
            juror.invited_by = actor
            juror.invited_at = timezone.now()
            fields += ["invited_by", "invited_at"]
        juror.save(update_fields=fields)
        if not juror.has_accepted:
            _send_invitation(juror, actor)
    return juror


def _send_invitation(juror, actor):
    invitee = User.objects.filter(email__iexact=juror.email).first()
    language = (invitee and invitee.language) or actor.language or translation.get_language()
    queue_email(
        # A renewed invitation is a new occasion: it is sent again.
        key=f"jury-invitation:{juror.pk}:{int(juror.invited_at.timestamp())}",
        to=juror.email,
        template="applications/email/jury_invitation",
        context={
            "juror": juror,
            "call_title": juror.call.title,
            "inviter": actor,
            # Lazy label: rendered in the recipient's language, not the inviter's.
            "role": JurorRole(juror.role).label,
            "has_account": invitee is not None,
            "expires_at": invitation_expires_at(juror),
            "action_url": absolute_url(reverse("applications:jury_invitation", args=[juror.token])),
            "action_label": gettext_lazy("Answer the invitation"),
        },
        language=language,
        # The link opens the invitation to whoever holds it: only the invitee may read it.
        secrets=("action_url",),
    )


@dataclass(frozen=True)
class InvitationState:
    """What the invitation page says to this visitor. `name` is one of:
    accepted (by this user), taken (accepted by someone else), expired, seated (this user is
    already on the call's jury under another address), open (log-in needed: an account exists),
    new_account (a visitor can create their account here), wrong_person, acceptable."""

    name: str


def _addresses(user):
    """The user's verified addresses, and their login address (the link proves it, see below)."""
    verified = {
        normalise_email(e)
        for e in EmailAddress.objects.filter(user=user, verified=True).values_list(
            "email", flat=True
        )
    }
    return verified, normalise_email(user.email)


def invitation_state(juror, user, now=None):
    if juror.has_accepted:
        return InvitationState("accepted" if user.pk and juror.user_id == user.pk else "taken")
    if invitation_expired(juror, now):
        return InvitationState("expired")
    if not user.is_authenticated:
        if User.objects.filter(email__iexact=juror.email).exists():
            return InvitationState("open")
        return InvitationState("new_account")
    verified, login = _addresses(user)
    if juror.email not in verified and juror.email != login:
        return InvitationState("wrong_person")
    if Juror.objects.filter(call_id=juror.call_id, user=user).exclude(pk=juror.pk).exists():
        return InvitationState("seated")
    return InvitationState("acceptable")


def accept_invitation(juror, user, now=None):
    """Seat `user` on the jury with this invitation. The invitation must be theirs and valid."""
    with transaction.atomic():
        locked = Juror.objects.select_for_update().select_related("call").get(pk=juror.pk)
        state = invitation_state(locked, user, now).name
        if state == "accepted":
            return locked
        if state != "acceptable":
            raise JuryRefused(_refusal(state, locked, user))
        verified, login = _addresses(user)
        if locked.email not in verified:
            _verify_login_address(user)
        locked.user = user
        locked.accepted_at = now or timezone.now()
        try:
            with transaction.atomic():
                locked.save(update_fields=["user", "accepted_at"])
        except IntegrityError as error:
            raise JuryRefused(_refusal("seated", locked, user)) from error
    return locked


def _verify_login_address(user):
    """The user's login address, unverified until now: opening the link sent to it proves it."""
    address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
    if address is None:
        has_primary = EmailAddress.objects.filter(user=user, primary=True).exists()
        EmailAddress.objects.create(
            user=user, email=user.email, verified=True, primary=not has_primary
        )
    elif not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])


def accept_with_new_account(juror, first_name, last_name, password, language=None, now=None):
    """Create the invited person's account (address verified: the link proves it) and seat them.
    Returns the new user, to be logged in by the caller."""
    with transaction.atomic():
        locked = Juror.objects.select_for_update().get(pk=juror.pk)
        if invitation_state(locked, _Anonymous(), now).name != "new_account":
            raise JuryRefused(
                _("This invitation can no longer be used to create an account. Reload the page.")
            )
        user = User.objects.create_user(
            email=locked.email,
            password=password,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            language=_known_language(language),
            organisation=locked.organisation,
        )
        EmailAddress.objects.create(user=user, email=locked.email, verified=True, primary=True)
        locked.user = user
        locked.accepted_at = now or timezone.now()
        locked.save(update_fields=["user", "accepted_at"])
    return user


def _known_language(language):
    code = (language or translation.get_language() or settings.LANGUAGE_CODE)[:2]
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


class _Anonymous:
    pk = None
    is_authenticated = False


def _refusal(state, juror, user):
    messages = {
        "taken": _("This invitation was already accepted by another account."),
        "expired": _(
            "This invitation expired. Ask the programme team to invite you again: you will "
            "receive a new link."
        ),
        "seated": _("You are already on this call's jury."),
        "wrong_person": _(
            "This invitation was sent to %(email)s, but you are logged in as %(current)s."
        )
        % {"email": juror.email, "current": getattr(user, "email", "")},
    }
    return messages.get(state, _("Please log in to accept this invitation."))


# --- the jury as staff see it -------------------------------------------------------------


def _count(queryset):
    """A correlated subquery counting `queryset`'s rows: no row multiplication from joins.
    COUNT as a plain function keeps Django from adding a GROUP BY: one row, the count."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def jury_of(call):
    """The call's jurors with their counts, in one query: assigned, conflicts declared,
    submitted reviews (a juror with one is not removable)."""
    return (
        Juror.objects.filter(call=call)
        .select_related("user", "department")
        .annotate(
            assigned_count=_count(Assignment.objects.filter(juror=OuterRef("pk"))),
            conflict_count=_count(
                ConflictDeclaration.objects.filter(juror=OuterRef("pk")).exclude(
                    kind=ConflictKind.NONE
                )
            ),
            submitted_count=_count(
                Review.objects.filter(assignment__juror=OuterRef("pk"), submitted_at__isnull=False)
            ),
        )
        .order_by("role", "email")
    )


def remove_juror(juror, actor):
    """Take a juror off the jury, with their assignments, declarations and draft reviews.
    Refused once they submitted a review: it is part of the ranking."""
    _require_staff(actor)
    with transaction.atomic():
        locked = Juror.objects.select_for_update().get(pk=juror.pk)
        if Review.objects.filter(assignment__juror=locked, submitted_at__isnull=False).exists():
            raise JuryRefused(
                _("%(juror)s has submitted a review: they stay on the jury.")
                % {"juror": locked.email}
            )
        locked.delete()


# --- the jury as a juror sees it ------------------------------------------------------------


def seats_of(user):
    """The accepted jury seats of `user`, each with its call and counts, in one query:
    assigned, to_declare (assigned, no declaration yet), drafts and submitted reviews."""
    undeclared = Assignment.objects.filter(juror=OuterRef("pk")).exclude(
        Exists(
            ConflictDeclaration.objects.filter(juror=OuterRef("juror"), dossier=OuterRef("dossier"))
        )
    )
    return (
        Juror.objects.filter(user=user, accepted_at__isnull=False)
        .select_related("call")
        .annotate(
            assigned_count=_count(Assignment.objects.filter(juror=OuterRef("pk"))),
            to_declare_count=_count(undeclared),
            conflict_count=_count(
                ConflictDeclaration.objects.filter(juror=OuterRef("pk")).exclude(
                    kind=ConflictKind.NONE
                )
            ),
            draft_count=_count(
                Review.objects.filter(assignment__juror=OuterRef("pk"), submitted_at__isnull=True)
            ),
            submitted_count=_count(
                Review.objects.filter(assignment__juror=OuterRef("pk"), submitted_at__isnull=False)
            ),
        )
        .order_by("-call__closes_at", "call__title")
    )


def seat_of(user, call):
    """`user`'s accepted Juror row on `call`, or None."""
    if not user.is_authenticated:
        return None
    return Juror.objects.filter(call=call, user=user, accepted_at__isnull=False).first()


class Step:
    """What is left to do on one assigned dossier, in order."""

    DECLARE = "declare"
    CONFLICT = "conflict"
    REVIEW = "review"
    DRAFT = "draft"
    SUBMITTED = "submitted"

    ALL = (DECLARE, CONFLICT, REVIEW, DRAFT, SUBMITTED)


def assignments_of(juror):
    """The juror's assignments with their dossier, declaration kind and review, in one query;
    each gets `step` (see Step)."""
    declared = ConflictDeclaration.objects.filter(
        juror=OuterRef("juror"), dossier=OuterRef("dossier")
    )
    assignments = list(
        Assignment.objects.filter(juror=juror)
        .select_related("dossier", "dossier__structure", "review")
        .annotate(declared_kind=Subquery(declared.values("kind")[:1]))
        .order_by("dossier__reference")
    )
    for assignment in assignments:
        assignment.step = _step(assignment)
    return assignments


def _step(assignment):
    if assignment.declared_kind is None:
        return Step.DECLARE
    if assignment.declared_kind != ConflictKind.NONE:
        return Step.CONFLICT
    review = getattr(assignment, "review", None)
    if review is None:
        return Step.REVIEW
    return Step.SUBMITTED if review.is_submitted else Step.DRAFT


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
