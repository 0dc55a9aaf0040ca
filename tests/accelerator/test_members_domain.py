from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accelerator.domain import members
from accelerator.domain.refusals import Refused
from accelerator.models import Invitation, JoinRequest, MemberRole, Membership
from tests import factories
from workers import outbox
from workers.models import OutboxMessage

# Invitations ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_owner_invites_by_email_and_the_mail_carries_the_link(structure, owner):
    structure.name = "L'Atelier & Co"
    structure.save()
    invitation = members.invite_member(structure, owner, " Alex@Example.org ", MemberRole.EDITOR)
    assert invitation.email == "alex@example.org"
    assert invitation.expires_at - timezone.now() > timedelta(days=6, hours=23)
    message = OutboxMessage.objects.get(to="alex@example.org")
    text, html = outbox.recipient_bodies(message)
    assert f"/invitations/{invitation.token}/" in text
    assert f"/invitations/{invitation.token}/" in html
    # The stored row never holds the working link (issue 8): only the recipient's copy does.
    assert invitation.token not in message.body_text + message.body_html
    assert "L'Atelier & Co" in message.subject
    assert "L'Atelier & Co" in message.body_text
    assert "L&#x27;Atelier &amp; Co" in message.body_html
    assert owner.display_name in message.body_text


@pytest.mark.django_db
def test_the_invitation_is_written_in_the_invitees_language(structure, owner):
    factories.UserFactory(email="alex@example.org", language="en")
    owner.language = "fr"
    owner.save()
    members.invite_member(structure, owner, "alex@example.org", MemberRole.EDITOR)
    members.invite_member(structure, owner, "new@example.org", MemberRole.EDITOR)
    assert OutboxMessage.objects.get(to="alex@example.org").language == "en"
    # Someone without an account gets the inviter's language.
    assert OutboxMessage.objects.get(to="new@example.org").language == "fr"


@pytest.mark.django_db
def test_inviting_the_same_pending_address_again_renews_it_without_a_duplicate(structure, owner):
    first = members.invite_member(structure, owner, "alex@example.org", MemberRole.VIEWER)
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        again = members.invite_member(structure, owner, "ALEX@example.org", MemberRole.EDITOR)
    assert again.pk == first.pk
    assert again.token == first.token
    assert again.role == MemberRole.EDITOR
    assert again.expires_at > first.expires_at
    assert Invitation.objects.filter(structure=structure).count() == 1
    # The renewed invitation is e-mailed again.
    assert OutboxMessage.objects.filter(to="alex@example.org").count() == 2


@pytest.mark.django_db
def test_only_owners_invite(structure, editor, viewer, staff, outsider):
    for actor in (editor, viewer, staff, outsider):
        with pytest.raises(PermissionDenied):
            members.invite_member(structure, actor, "alex@example.org", MemberRole.VIEWER)
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_inviting_a_member_or_with_an_unknown_role_is_refused(structure, owner, editor):
    with pytest.raises(Refused):
        members.invite_member(structure, owner, editor.email.upper(), MemberRole.VIEWER)
    with pytest.raises(Refused):
        members.invite_member(structure, owner, "alex@example.org", "admin")


@pytest.mark.django_db
def test_the_invitee_accepts_with_the_invited_role(structure, owner):
    invitee = factories.UserFactory(email="alex@example.org")
    invitation = members.invite_member(structure, owner, "alex@example.org", MemberRole.EDITOR)
    membership = members.accept_invitation(invitation, invitee)
    assert membership.role == MemberRole.EDITOR
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    # Accepting twice is harmless; someone else cannot reuse the link.
    assert members.accept_invitation(invitation, invitee) == membership
    with pytest.raises(Refused):
        members.accept_invitation(invitation, factories.UserFactory())


@pytest.mark.django_db
def test_an_invitation_expires_after_seven_days(structure, owner):
    invitee = factories.UserFactory(email="alex@example.org")
    invitation = members.invite_member(structure, owner, "alex@example.org", MemberRole.VIEWER)
    after_expiry = timezone.now() + Invitation.VALIDITY + timedelta(minutes=1)
    with time_machine.travel(after_expiry), pytest.raises(Refused) as caught:
        members.accept_invitation(invitation, invitee)
    assert "This invitation expired." in caught.value.messages[0]
    assert not Membership.objects.filter(user=invitee).exists()
    with time_machine.travel(timezone.now() + Invitation.VALIDITY - timedelta(minutes=1)):
        assert members.accept_invitation(invitation, invitee).role == MemberRole.VIEWER


@pytest.mark.django_db
def test_the_invitation_email_must_be_a_verified_address_of_the_user(structure, owner):
    invitation = members.invite_member(structure, owner, "alex@example.org", MemberRole.VIEWER)
    someone_else = factories.UserFactory(email="sam@example.org")
    with pytest.raises(Refused) as caught:
        members.accept_invitation(invitation, someone_else)
    assert "alex@example.org" in caught.value.messages[0]
    unverified = factories.UserFactory(email="alex@example.org", verified=False)
    with pytest.raises(Refused):
        members.accept_invitation(invitation, unverified)
    assert not Membership.objects.filter(user__in=[someone_else, unverified]).exists()


@pytest.mark.django_db
def test_a_revoked_or_declined_invitation_cannot_be_accepted(structure, owner, editor):
    invitee = factories.UserFactory(email="alex@example.org")
    invitation = members.invite_member(structure, owner, "alex@example.org", MemberRole.VIEWER)
    with pytest.raises(PermissionDenied):
        members.revoke_invitation(invitation, editor)
    members.revoke_invitation(invitation, owner)
    with pytest.raises(Refused):
        members.accept_invitation(invitation, invitee)
    with pytest.raises(Refused):
        members.revoke_invitation(invitation, owner)

    second = members.invite_member(structure, owner, "alex@example.org", MemberRole.VIEWER)
    assert second.pk != invitation.pk
    members.decline_invitation(second, invitee)
    with pytest.raises(Refused):
        members.accept_invitation(second, invitee)
    assert not Membership.objects.filter(user=invitee).exists()


# Join requests ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_join_request_emails_every_owner_once(structure, owner, editor):
    second_owner = factories.MembershipFactory(structure=structure, role=MemberRole.OWNER).user
    requester = factories.UserFactory()
    join_request = members.request_to_join(structure, requester, "Je suis la trésorière.")
    again = members.request_to_join(structure, requester, "Encore moi")
    assert again.pk == join_request.pk
    assert JoinRequest.objects.count() == 1
    recipients = set(
        OutboxMessage.objects.filter(key__startswith="join-request:").values_list("to", flat=True)
    )
    assert recipients == {owner.email, second_owner.email}
    body = OutboxMessage.objects.filter(to=owner.email).get().body_text
    assert "Je suis la trésorière." in body
    assert f"/structures/{structure.pk}/members/" in body


@pytest.mark.django_db
def test_a_member_cannot_ask_to_join(structure, viewer):
    with pytest.raises(Refused):
        members.request_to_join(structure, viewer)


@pytest.mark.django_db
@pytest.mark.parametrize("role", [MemberRole.VIEWER, MemberRole.EDITOR])
def test_an_owner_accepts_a_join_request_with_the_role_they_choose(structure, owner, role):
    requester = factories.UserFactory()
    join_request = members.request_to_join(structure, requester)
    members.decide_join_request(join_request, owner, accept=True, role=role)
    assert Membership.objects.get(structure=structure, user=requester).role == role
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.ACCEPTED
    assert join_request.decided_by == owner
    assert OutboxMessage.objects.filter(
        to=requester.email, key=f"join-request-decided:{join_request.pk}"
    ).exists()
    with pytest.raises(Refused):
        members.decide_join_request(join_request, owner, accept=False)


@pytest.mark.django_db
def test_declining_a_join_request_adds_no_member_and_tells_the_requester(structure, owner):
    requester = factories.UserFactory()
    join_request = members.request_to_join(structure, requester)
    members.decide_join_request(join_request, owner, accept=False)
    assert not Membership.objects.filter(user=requester).exists()
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.DECLINED
    assert OutboxMessage.objects.filter(to=requester.email).count() == 1


@pytest.mark.django_db
def test_only_owners_decide_and_never_grant_ownership_directly(structure, owner, editor, staff):
    join_request = members.request_to_join(structure, factories.UserFactory())
    for actor in (editor, staff):
        with pytest.raises(PermissionDenied):
            members.decide_join_request(join_request, actor, accept=True)
    with pytest.raises(Refused):
        members.decide_join_request(join_request, owner, accept=True, role=MemberRole.OWNER)
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.PENDING


# Roles, leaving, removing -----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_last_owner_cannot_be_demoted_until_another_owner_exists(structure, owner, editor):
    own = Membership.objects.get(structure=structure, user=owner)
    with pytest.raises(Refused, match="needs at least one owner"):
        members.change_role(own, owner, MemberRole.EDITOR)
    assert Membership.objects.get(pk=own.pk).role == MemberRole.OWNER

    other = Membership.objects.get(structure=structure, user=editor)
    members.change_role(other, owner, MemberRole.OWNER)
    members.change_role(own, owner, MemberRole.VIEWER)
    assert Membership.objects.get(pk=own.pk).role == MemberRole.VIEWER
    # The former owner, now a viewer, manages nothing any more.
    with pytest.raises(PermissionDenied):
        members.change_role(other, owner, MemberRole.VIEWER)


@pytest.mark.django_db
def test_only_owners_change_roles(structure, owner, editor, viewer, staff):
    target = Membership.objects.get(structure=structure, user=viewer)
    for actor in (editor, viewer, staff):
        with pytest.raises(PermissionDenied):
            members.change_role(target, actor, MemberRole.OWNER)
    members.change_role(target, owner, MemberRole.EDITOR)
    assert Membership.objects.get(pk=target.pk).role == MemberRole.EDITOR


@pytest.mark.django_db
def test_a_member_leaves_but_the_last_owner_cannot(structure, owner, editor):
    members.leave_structure(structure, editor)
    assert not Membership.objects.filter(structure=structure, user=editor).exists()
    with pytest.raises(Refused, match="only owner") as caught:
        members.leave_structure(structure, owner)
    assert structure.name in caught.value.messages[0]
    assert Membership.objects.filter(structure=structure, user=owner).exists()


@pytest.mark.django_db
def test_an_owner_leaves_once_another_owner_exists(structure, owner):
    factories.MembershipFactory(structure=structure, role=MemberRole.OWNER)
    members.leave_structure(structure, owner)
    assert Membership.objects.filter(structure=structure, role=MemberRole.OWNER).count() == 1


@pytest.mark.django_db
def test_an_outsider_cannot_leave_a_structure_they_do_not_belong_to(structure, owner, outsider):
    with pytest.raises(PermissionDenied):
        members.leave_structure(structure, outsider)


@pytest.mark.django_db
def test_owners_remove_members_but_never_the_last_owner(structure, owner, editor, viewer):
    with pytest.raises(PermissionDenied):
        members.remove_member(Membership.objects.get(user=viewer), editor)
    members.remove_member(Membership.objects.get(user=viewer), owner)
    assert not Membership.objects.filter(user=viewer).exists()
    with pytest.raises(Refused, match="needs at least one owner"):
        members.remove_member(Membership.objects.get(user=owner), owner)
    assert Membership.objects.filter(structure=structure, role=MemberRole.OWNER).count() == 1
