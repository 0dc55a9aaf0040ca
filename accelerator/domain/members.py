"""Who belongs to a structure: invitations, join requests, roles, contacts and leaving.

Rules: only owners manage members; an invitation is used by the person whose verified e-mail it was
sent to, before it expires; a structure always keeps at least one owner.
"""

from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accelerator.domain.refusals import Refused
from accelerator.domain.reminders import DEADLINES
from accelerator.models import Invitation, JoinRequest, MemberRole, Membership, User
from workers.outbox import absolute_url, queue_email
from workers.reminders import notify

# Roles an owner can give when accepting a join request; ownership is given afterwards, knowingly.
JOIN_ROLES = (MemberRole.VIEWER, MemberRole.EDITOR)


def acting_members(structure_id):
    """The active users who act for a structure (its owners and editors), each once: those its
    notifications go to."""
    memberships = (
        Membership.objects.filter(
            structure_id=structure_id,
            role__in=[MemberRole.OWNER, MemberRole.EDITOR],
            user__is_active=True,
        )
        .select_related("user")
        .order_by("user_id")
    )
    return [membership.user for membership in memberships]


def normalise_email(email):
    return (email or "").strip().lower()


def verified_emails(user):
    """The addresses `user` proved they own (allauth's verification)."""
    return {
        normalise_email(email)
        for email in EmailAddress.objects.filter(user=user, verified=True).values_list(
            "email", flat=True
        )
    }


def _check_role(role, allowed=MemberRole.values):
    if role not in allowed:
        raise Refused(_("Please choose a role from the list."))


def _require(actor, perm, structure):
    if not actor.has_perm(perm, structure):
        raise PermissionDenied


def _keep_an_owner(membership, refusal):
    """Refuse (with `refusal`) when `membership` is its structure's only owner.

    Owners' rows are locked first, so two owners demoting each other at the same moment cannot
    both succeed and leave the structure with none.
    """
    owners = list(
        Membership.objects.select_for_update()
        .filter(structure_id=membership.structure_id, role=MemberRole.OWNER)
        .values_list("pk", flat=True)
    )
    if membership.role == MemberRole.OWNER and owners == [membership.pk]:
        raise Refused(refusal)


# Invitations ------------------------------------------------------------------------------------


def invite_member(structure, actor, email, role):
    """Invite `email` to join `structure` with `role` and e-mail them the link.

    Inviting an address that already has a pending invitation renews that one (new role, new
    expiry, the e-mail sent again) rather than adding a second.
    """
    _require(actor, "accelerator.manage_members", structure)
    _check_role(role)
    email = normalise_email(email)
    if Membership.objects.filter(structure=structure, user__email__iexact=email).exists():
        raise Refused(
            _("%(email)s is already a member of %(structure)s.")
            % {"email": email, "structure": structure.name}
        )
    expires_at = timezone.now() + Invitation.VALIDITY
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .filter(structure=structure, email=email, accepted_at=None, revoked_at=None)
            .first()
        )
        if invitation:
            invitation.role = role
            invitation.invited_by = actor
            invitation.expires_at = expires_at
            invitation.save(update_fields=["role", "invited_by", "expires_at"])
        else:
            try:
                with transaction.atomic():
                    invitation = Invitation.objects.create(
                        structure=structure,
                        email=email,
                        role=role,
                        invited_by=actor,
                        expires_at=expires_at,
                    )
            except IntegrityError:
                # A concurrent request invited the same address: that invitation is the one.
                invitation = Invitation.objects.get(
                    structure=structure, email=email, accepted_at=None, revoked_at=None
                )
        _send_invitation(invitation, actor)
    return invitation


def _send_invitation(invitation, actor):
    invitee = User.objects.filter(email__iexact=invitation.email).first()
    language = (invitee and invitee.language) or actor.language or translation.get_language()
    queue_email(
        # A renewed invitation has a new expiry, so it is a new occasion and is sent again.
        key=f"invitation:{invitation.pk}:{int(invitation.expires_at.timestamp())}",
        to=invitation.email,
        template="accelerator/email/invitation",
        context={
            "invitation": invitation,
            "structure": invitation.structure,
            "inviter": actor,
            # Lazy labels: the mail is rendered in the recipient's language, not the inviter's.
            "role": MemberRole(invitation.role).label,
            "has_account": invitee is not None,
            "action_url": absolute_url(reverse("accelerator:invitation", args=[invitation.token])),
            "action_label": gettext_lazy("Answer the invitation"),
        },
        language=language,
        # The link opens the invitation to whoever holds it: only the invitee may read it.
        secrets=("action_url",),
    )


def _locked_invitation(invitation):
    return Invitation.objects.select_for_update().select_related("structure").get(pk=invitation.pk)


def _check_invitee(invitation, user):
    if normalise_email(invitation.email) not in verified_emails(user):
        raise Refused(
            _(
                "This invitation was sent to %(email)s, but you are logged in as %(current)s. "
                "Log out and log in (or sign up) with %(email)s to accept it."
            )
            % {"email": invitation.email, "current": user.email}
        )


def accept_invitation(invitation, user):
    """Make `user` a member with the invited role. Returns the membership.

    Refused when the invitation was withdrawn, declined, used, or has expired, or when it was sent
    to an address `user` has not verified. Accepting twice is harmless.
    """
    with transaction.atomic():
        invitation = _locked_invitation(invitation)
        structure = invitation.structure
        if invitation.accepted_at:
            membership = Membership.objects.filter(structure=structure, user=user).first()
            if membership:
                return membership
            raise Refused(_("This invitation has already been used."))
        if invitation.revoked_at:
            raise Refused(_("This invitation is no longer valid: it was withdrawn or declined."))
        if invitation.is_expired:
            raise Refused(
                _("This invitation expired. Ask a member of %(structure)s to send you a new one.")
                % {"structure": structure.name}
            )
        _check_invitee(invitation, user)
        membership, _created = Membership.objects.get_or_create(
            structure=structure, user=user, defaults={"role": invitation.role}
        )
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
    return membership


def decline_invitation(invitation, user):
    """The invitee says no: the invitation can no longer be used."""
    with transaction.atomic():
        invitation = _locked_invitation(invitation)
        if not invitation.is_pending:
            raise Refused(_("This invitation is no longer pending."))
        _check_invitee(invitation, user)
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


def revoke_invitation(invitation, actor):
    """An owner withdraws a pending invitation: its link stops working."""
    _require(actor, "accelerator.manage_members", invitation.structure)
    with transaction.atomic():
        invitation = _locked_invitation(invitation)
        if not invitation.is_pending:
            raise Refused(_("This invitation is no longer pending."))
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


# Join requests ----------------------------------------------------------------------------------


def request_to_join(structure, user, message=""):
    """Ask the owners of `structure` to let `user` in; they are e-mailed. Returns the request.

    Asking again while a request waits returns that request rather than adding one.
    """
    if Membership.objects.filter(structure=structure, user=user).exists():
        raise Refused(
            _("You are already a member of %(structure)s.") % {"structure": structure.name}
        )
    with transaction.atomic():
        pending = JoinRequest.objects.filter(
            structure=structure, user=user, status=JoinRequest.Status.PENDING
        ).first()
        if pending:
            return pending
        try:
            with transaction.atomic():
                join_request = JoinRequest.objects.create(
                    structure=structure, user=user, message=message.strip()
                )
        except IntegrityError:
            return JoinRequest.objects.get(
                structure=structure, user=user, status=JoinRequest.Status.PENDING
            )
        url = absolute_url(reverse("accelerator:members", args=[structure.pk]))
        label = gettext_lazy("Answer the request")
        owners = User.objects.filter(
            memberships__structure=structure, memberships__role=MemberRole.OWNER, is_active=True
        )
        for owner in owners:
            message = queue_email(
                key=f"join-request:{join_request.pk}:{owner.pk}",
                to=owner.email,
                template="accelerator/email/join_request",
                context={
                    "join_request": join_request,
                    "structure": structure,
                    "requester": user,
                    "owner": owner,
                    "action_url": url,
                    "action_label": label,
                },
                language=owner.language,
            )
            with translation.override(owner.language):
                text = _("%(person)s asks to join %(name)s") % {
                    "person": user.display_name,
                    "name": structure.name,
                }
            notify(
                owner,
                topic=DEADLINES.name,
                text=text,
                link=reverse("accelerator:members", args=[structure.pk]),
                about=f"join_request:{join_request.pk}",
                within=f"structure:{structure.pk}",
                email=message,
            )
    return join_request


def decide_join_request(join_request, actor, accept, role=MemberRole.VIEWER):
    """An owner accepts (as viewer or editor) or declines a join request; the requester is told."""
    structure = join_request.structure
    _require(actor, "accelerator.manage_members", structure)
    if accept:
        _check_role(role, JOIN_ROLES)
    with transaction.atomic():
        join_request = (
            JoinRequest.objects.select_for_update()
            .select_related("structure", "user")
            .get(pk=join_request.pk)
        )
        if join_request.status != JoinRequest.Status.PENDING:
            raise Refused(_("This request has already been answered."))
        if accept:
            Membership.objects.get_or_create(
                structure=structure, user=join_request.user, defaults={"role": role}
            )
        join_request.status = JoinRequest.Status.ACCEPTED if accept else JoinRequest.Status.DECLINED
        join_request.decided_at = timezone.now()
        join_request.decided_by = actor
        join_request.save(update_fields=["status", "decided_at", "decided_by"])
        requester = join_request.user
        link = (
            reverse("accelerator:structure", args=[structure.pk])
            if accept
            else reverse("accelerator:home")
        )
        message = queue_email(
            key=f"join-request-decided:{join_request.pk}",
            to=requester.email,
            template="accelerator/email/join_request_decided",
            context={
                "join_request": join_request,
                "structure": structure,
                "requester": requester,
                "accepted": accept,
                "role": MemberRole(role).label if accept else "",
                "action_url": absolute_url(link),
                "action_label": gettext_lazy("Open the structure")
                if accept
                else gettext_lazy("Open my space"),
            },
            language=requester.language,
        )
        with translation.override(requester.language):
            if accept:
                text = _("You have joined %(name)s") % {"name": structure.name}
            else:
                text = _("Your request to join %(name)s") % {"name": structure.name}
        notify(
            requester,
            topic=DEADLINES.name,
            text=text,
            link=link,
            about=f"join_request:{join_request.pk}",
            within=f"structure:{structure.pk}",
            email=message,
        )
    return join_request


# Roles and leaving ------------------------------------------------------------------------------


def change_role(membership, actor, role):
    """An owner gives a member another role; the only owner cannot be demoted."""
    _require(actor, "accelerator.manage_members", membership.structure)
    _check_role(role)
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if role != MemberRole.OWNER:
            _keep_an_owner(
                membership,
                _(
                    "A structure needs at least one owner: make another member owner before "
                    "changing this role."
                ),
            )
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


def set_contact(membership, actor, is_contact):
    """An owner names a member a contact of the structure, or no longer: the support point of
    the territory sees the name and e-mail address of contacts only."""
    _require(actor, "accelerator.manage_members", membership.structure)
    Membership.objects.filter(pk=membership.pk).update(is_contact=is_contact)
    membership.is_contact = is_contact
    return membership


def remove_member(membership, actor):
    """An owner removes a member; the only owner cannot be removed."""
    _require(actor, "accelerator.manage_members", membership.structure)
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        _keep_an_owner(
            membership,
            _(
                "A structure needs at least one owner: make another member owner before "
                "removing this one."
            ),
        )
        membership.delete()


def leave_structure(structure, user):
    """`user` leaves `structure`; its only owner must first hand ownership to someone else."""
    _require(user, "accelerator.leave_structure", structure)
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update().filter(structure=structure, user=user).first()
        )
        if membership is None:
            # A superuser passes every rule, yet only a member has a membership to leave.
            raise PermissionDenied
        _keep_an_owner(
            membership,
            _("You are the only owner of %(structure)s: make another member owner before leaving.")
            % {"structure": structure.name},
        )
        membership.delete()
