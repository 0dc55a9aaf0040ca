from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accelerator.domain import members
from accelerator.models import Invitation, JoinRequest, MemberRole, Membership
from tests import factories
from workers import outbox
from workers.models import OutboxMessage

MEMBERS_PAGE_STATUS = {
    "anonymous": 302,
    "outsider": 404,
    "viewer": 200,
    "editor": 200,
    "owner": 200,
    "staff": 200,
    # The `structure` is in no cohort: its support point does not know it (and, once it is
    # accompanied, reads its contacts only, never this page).
    "support_point": 404,
}


@pytest.mark.django_db
@pytest.mark.parametrize("who", MEMBERS_PAGE_STATUS)
def test_who_sees_the_members_page_and_who_may_invite(client_for, people, structure, who):
    response = client_for(people[who]).get(reverse("accelerator:members", args=[structure.pk]))
    assert response.status_code == MEMBERS_PAGE_STATUS[who]
    if response.status_code == 200:
        page = response.content.decode()
        assert people["owner"].email in page
        invite_url = reverse("accelerator:invite", args=[structure.pk])
        assert (invite_url in page) == (who == "owner")


# Every action of the members page, and the status each person gets: owners act (302 back to the
# page), people who see the structure are refused (403), outsiders learn nothing (404).
MANAGE_STATUS = {
    "anonymous": 302,
    "outsider": 404,
    "viewer": 403,
    "editor": 403,
    "owner": 302,
    "staff": 403,
    "support_point": 404,
}


def _actions(structure, viewer):
    invitation = Invitation.objects.create(
        structure=structure,
        email="alex@example.org",
        role=MemberRole.VIEWER,
        expires_at=timezone.now() + Invitation.VALIDITY,
    )
    join_request = JoinRequest.objects.create(structure=structure, user=factories.UserFactory())
    target = Membership.objects.get(structure=structure, user=viewer)
    return {
        "invite": (
            reverse("accelerator:invite", args=[structure.pk]),
            {"email": "new@example.org", "role": "editor"},
            lambda: Invitation.objects.filter(email="new@example.org").exists(),
        ),
        "change_role": (
            reverse("accelerator:change_role", args=[structure.pk, target.pk]),
            {f"m{target.pk}-role": "editor"},
            lambda: Membership.objects.get(pk=target.pk).role == MemberRole.EDITOR,
        ),
        "remove_member": (
            reverse("accelerator:remove_member", args=[structure.pk, target.pk]),
            {},
            lambda: not Membership.objects.filter(pk=target.pk).exists(),
        ),
        "revoke_invitation": (
            reverse("accelerator:revoke_invitation", args=[structure.pk, invitation.pk]),
            {},
            lambda: Invitation.objects.get(pk=invitation.pk).revoked_at is not None,
        ),
        "decide_join_request": (
            reverse("accelerator:decide_join_request", args=[structure.pk, join_request.pk]),
            {f"j{join_request.pk}-decision": "accept", f"j{join_request.pk}-role": "editor"},
            lambda: JoinRequest.objects.get(pk=join_request.pk).status == "accepted",
        ),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("who", MANAGE_STATUS)
@pytest.mark.parametrize(
    "action", ["invite", "change_role", "remove_member", "revoke_invitation", "decide_join_request"]
)
def test_only_owners_manage_members(client_for, people, structure, who, action):
    url, data, done = _actions(structure, people["viewer"])[action]
    response = client_for(people[who]).post(url, data)
    assert response.status_code == MANAGE_STATUS[who]
    if who == "anonymous":
        assert response["Location"].startswith(reverse("account_login"))
    if who == "owner":
        assert response["Location"] == reverse("accelerator:members", args=[structure.pk])
    assert done() == (who == "owner")


@pytest.mark.django_db
def test_member_actions_refuse_get(client_for, structure, owner, viewer):
    url, _data, done = _actions(structure, viewer)["remove_member"]
    assert client_for(owner).get(url).status_code == 405
    assert not done()


LEAVE_STATUS = {
    "anonymous": 302,
    "outsider": 404,
    "viewer": 302,
    "editor": 302,
    "owner": 302,
    "staff": 403,
    "support_point": 404,
}


@pytest.mark.django_db
@pytest.mark.parametrize("who", LEAVE_STATUS)
def test_who_may_leave(client_for, people, structure, who):
    response = client_for(people[who]).post(reverse("accelerator:leave", args=[structure.pk]))
    assert response.status_code == LEAVE_STATUS[who]
    if who in ("viewer", "editor"):
        assert response["Location"] == reverse("accelerator:home")
        assert not Membership.objects.filter(structure=structure, user=people[who]).exists()


@pytest.mark.django_db
def test_the_last_owner_is_told_clearly_why_they_cannot_leave(client_for, structure, owner):
    client = client_for(owner)
    response = client.post(reverse("accelerator:leave", args=[structure.pk]), follow=True)
    assert "only owner" in response.content.decode()
    assert Membership.objects.filter(structure=structure, user=owner).exists()
    own = Membership.objects.get(user=owner)
    response = client.post(
        reverse("accelerator:change_role", args=[structure.pk, own.pk]),
        {f"m{own.pk}-role": "viewer"},
        follow=True,
    )
    assert "at least one owner" in response.content.decode()
    assert Membership.objects.get(pk=own.pk).role == MemberRole.OWNER
    response = client.post(
        reverse("accelerator:remove_member", args=[structure.pk, own.pk]), follow=True
    )
    assert "at least one owner" in response.content.decode()
    assert Membership.objects.filter(pk=own.pk).exists()


@pytest.mark.django_db
def test_an_invalid_invitation_is_shown_in_place(client_for, structure, owner, editor):
    client = client_for(owner)
    url = reverse("accelerator:invite", args=[structure.pk])
    response = client.post(url, {"email": "not-an-address", "role": "editor"})
    assert response.status_code == 200
    assert 'value="not-an-address"' in response.content.decode()
    response = client.post(url, {"email": editor.email, "role": "viewer"})
    assert "is already a member" in response.content.decode()
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_the_members_page_lists_pending_invitations_and_join_requests_for_owners(
    client_for, structure, owner, viewer
):
    members.invite_member(structure, owner, "alex@example.org", MemberRole.EDITOR)
    requester = factories.UserFactory(first_name="Dominique", last_name="Requérante")
    members.request_to_join(structure, requester, "Bonjour !")
    url = reverse("accelerator:members", args=[structure.pk])
    page = client_for(owner).get(url).content.decode()
    assert "alex@example.org" in page
    assert "Dominique Requérante" in page
    assert "Bonjour !" in page
    page = client_for(viewer).get(url).content.decode()
    assert "alex@example.org" not in page
    assert "Dominique Requérante" not in page


# Invitation links -------------------------------------------------------------------------------


@pytest.fixture
def invitation(structure, owner):
    return members.invite_member(structure, owner, "alex@example.org", MemberRole.EDITOR)


def _url(invitation):
    return reverse("accelerator:invitation", args=[invitation.token])


@pytest.mark.django_db
def test_an_anonymous_visitor_is_asked_to_log_in_or_sign_up_and_the_token_is_kept(
    client, invitation
):
    response = client.get(_url(invitation))
    page = response.content.decode()
    assert response.status_code == 200
    assert "alex@example.org" in page
    assert reverse("account_signup") in page
    assert client.session["essor_invitation_token"] == invitation.token


@pytest.mark.django_db
def test_the_invitee_accepts_from_the_link(client_for, invitation, structure):
    invitee = factories.UserFactory(email="alex@example.org")
    client = client_for(invitee)
    assert "Accept and join" in client.get(_url(invitation)).content.decode()
    response = client.post(_url(invitation), {"answer": "accept"})
    assert response["Location"] == reverse("accelerator:structure", args=[structure.pk])
    assert Membership.objects.get(structure=structure, user=invitee).role == MemberRole.EDITOR


@pytest.mark.django_db
def test_the_invitee_declines_from_the_link(client_for, invitation, structure):
    invitee = factories.UserFactory(email="alex@example.org")
    response = client_for(invitee).post(_url(invitation), {"answer": "decline"})
    assert response["Location"] == reverse("accelerator:home")
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert not Membership.objects.filter(user=invitee).exists()


@pytest.mark.django_db
def test_someone_else_is_refused_clearly(client_for, invitation):
    other = factories.UserFactory(email="sam@example.org")
    client = client_for(other)
    page = client.get(_url(invitation)).content.decode()
    assert "This invitation was sent to alex@example.org" in page
    assert "Accept and join" not in page
    response = client.post(_url(invitation), {"answer": "accept"}, follow=True)
    assert "alex@example.org" in response.content.decode()
    assert not Membership.objects.filter(user=other).exists()


@pytest.mark.django_db
def test_an_expired_link_says_so(client_for, invitation):
    invitee = factories.UserFactory(email="alex@example.org")
    client = client_for(invitee)
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        page = client.get(_url(invitation)).content.decode()
        assert "This invitation expired on" in page
        assert "Accept and join" not in page
        response = client.post(_url(invitation), {"answer": "accept"}, follow=True)
        assert "expired" in response.content.decode()
    assert not Membership.objects.filter(user=invitee).exists()


@pytest.mark.django_db
def test_a_withdrawn_or_unknown_link_says_so(client_for, invitation, owner):
    members.revoke_invitation(invitation, owner)
    client = client_for(factories.UserFactory(email="alex@example.org"))
    assert "no longer valid" in client.get(_url(invitation)).content.decode()
    missing = client.get(reverse("accelerator:invitation", args=["not-a-token"]))
    assert missing.status_code == 404
    assert "This invitation link is not valid" in missing.content.decode()


@pytest.mark.django_db
def test_the_invitation_mail_link_opens_the_invitation(client, invitation):
    body, _ = outbox.recipient_bodies(OutboxMessage.objects.get(to="alex@example.org"))
    link = next(word for word in body.split() if "/invitations/" in word)
    path = link[link.index("/invitations/") :]
    assert client.get(path).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["owner", "staff"])
def test_the_members_page_query_count_does_not_grow_with_members(
    client_for, people, count_queries, django_assert_num_queries, who
):
    def structure_with(count):
        structure = factories.StructureFactory(department=factories.department("45", "Loiret"))
        Membership.objects.create(structure=structure, user=people["owner"], role="owner")
        for _ in range(count - 1):
            factories.MembershipFactory(structure=structure, role=MemberRole.EDITOR)
        for index in range(count):
            Invitation.objects.create(
                structure=structure,
                email=f"guest{index}@example.org",
                role=MemberRole.VIEWER,
                expires_at=timezone.now() + Invitation.VALIDITY,
            )
            JoinRequest.objects.create(structure=structure, user=factories.UserFactory())
        return structure

    client = client_for(people[who])
    small, large = structure_with(1), structure_with(30)
    expected = count_queries(client, reverse("accelerator:members", args=[small.pk]))
    with django_assert_num_queries(expected):
        page = client.get(reverse("accelerator:members", args=[large.pk])).content.decode()
    assert page.count("<tr>") >= 30
