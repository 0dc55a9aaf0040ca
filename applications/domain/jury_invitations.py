"""Inviting jurors onto a call's jury and their acceptance of the invitation.

Rules:
- staff invite by e-mail; inviting the same address again updates and re-sends the one invitation;
- the link (valid `Juror.INVITATION_VALIDITY` from the last sending) is accepted by a user whose
  verified address is the invited one, or by a visitor who creates their account from it (the link
  proves the address, so it is verified at once).
"""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accelerator.domain.refusals import Refused
from accelerator.models import User
from applications.domain.jury import require_staff
from applications.models import Juror, JurorRole
from workers.outbox import absolute_url, queue_email


def normalise_email(email):
    return (email or "").strip().lower()


def invitation_expires_at(juror):
    return juror.invited_at + Juror.INVITATION_VALIDITY


def invitation_expired(juror, now=None):
    return not juror.has_accepted and (now or timezone.now()) >= invitation_expires_at(juror)


def invite_juror(call, email, role, department=None, organisation="", actor=None):
    """Invite `email` onto `call`'s jury with `role` and e-mail them the link; returns the Juror.

    The same address invited again keeps its one Juror row: role, département and organisation
    are updated; a pending invitation gets a fresh validity and is sent again.
    """
    require_staff(actor)
    email = normalise_email(email)
    if not email:
        raise Refused(_("Please give the juror's e-mail address."))
    if role not in JurorRole.values:
        raise Refused(_("Please choose a role from the list."))
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
            raise Refused(_refusal(state, locked, user))
        verified, login = _addresses(user)
        if locked.email not in verified:
            _verify_login_address(user)
        locked.user = user
        locked.accepted_at = now or timezone.now()
        try:
            with transaction.atomic():
                locked.save(update_fields=["user", "accepted_at"])
        except IntegrityError as error:
            raise Refused(_refusal("seated", locked, user)) from error
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
            raise Refused(
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
