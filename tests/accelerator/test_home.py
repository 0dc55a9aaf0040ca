from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accelerator.domain import members
from accelerator.models import Invitation, JoinRequest, MemberRole
from tests import factories


@pytest.mark.django_db
def test_the_home_page_needs_a_login(client):
    response = client.get(reverse("accelerator:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_the_home_page_lists_my_structures_with_my_role(client_for, structure, editor):
    elsewhere = factories.StructureFactory(name="Autre structure")
    factories.MembershipFactory(structure=elsewhere, user=editor, role=MemberRole.VIEWER)
    stranger = factories.StructureFactory(name="Structure inconnue")
    page = client_for(editor).get(reverse("accelerator:home")).content.decode()
    assert structure.name in page
    assert "Autre structure" in page
    assert "Editor" in page and "Viewer" in page
    assert stranger.name not in page
    assert reverse("accelerator:structure_create") in page


@pytest.mark.django_db
def test_a_new_person_is_invited_to_register_a_structure(client_for):
    page = client_for(factories.UserFactory()).get(reverse("accelerator:home")).content.decode()
    assert "You do not belong to any structure yet." in page
    assert "Register a structure" in page


@pytest.mark.django_db
def test_pending_invitations_to_my_verified_address_are_listed(client_for, structure, owner):
    invitee = factories.UserFactory(email="alex@example.org")
    invitation = members.invite_member(structure, owner, "alex@example.org", MemberRole.EDITOR)
    other = factories.StructureFactory(name="Invitation expirée")
    Invitation.objects.create(
        structure=other,
        email="alex@example.org",
        role=MemberRole.VIEWER,
        expires_at=timezone.now() - timedelta(days=1),
    )
    page = client_for(invitee).get(reverse("accelerator:home")).content.decode()
    assert reverse("accelerator:invitation", args=[invitation.token]) in page
    assert "Invitation expirée" not in page
    # Someone else never sees them.
    page = client_for(factories.UserFactory()).get(reverse("accelerator:home")).content.decode()
    assert invitation.token not in page


@pytest.mark.django_db
def test_owners_see_how_many_requests_to_join_wait(client_for, structure, owner, editor):
    for _ in range(2):
        JoinRequest.objects.create(structure=structure, user=factories.UserFactory())
    assert (
        "2 requests to join" in client_for(owner).get(reverse("accelerator:home")).content.decode()
    )
    assert (
        "requests to join"
        not in client_for(editor).get(reverse("accelerator:home")).content.decode()
    )


@pytest.mark.django_db
def test_dashboard_sections_registered_by_other_apps_are_shown(client_for, owner, monkeypatch):
    from accelerator.views.applicant import home

    monkeypatch.setattr(home, "DASHBOARD_SECTIONS", [])
    home.register_dashboard_section(
        "includes/error_summary.html",
        lambda request, memberships: {"items": [("x", f"{len(memberships)} structure(s)")]},
    )
    page = client_for(owner).get(reverse("accelerator:home")).content.decode()
    assert '<a href="#x">1 structure(s)</a>' in page


@pytest.mark.django_db
def test_the_home_page_query_count_does_not_grow_with_structures(
    client_for, count_queries, django_assert_num_queries
):
    def person_with(count):
        user = factories.UserFactory()
        for index in range(count):
            membership = factories.MembershipFactory(user=user, role=MemberRole.OWNER)
            JoinRequest.objects.create(structure=membership.structure, user=factories.UserFactory())
            Invitation.objects.create(
                structure=factories.StructureFactory(),
                email=user.email,
                role=MemberRole.VIEWER,
                expires_at=timezone.now() + timedelta(days=index + 1),
            )
            JoinRequest.objects.create(structure=factories.StructureFactory(), user=user)
        return user

    url = reverse("accelerator:home")
    expected = count_queries(client_for(person_with(1)), url)
    client = client_for(person_with(30))
    client.get(url)
    with django_assert_num_queries(expected):
        page = client.get(url).content.decode()
    assert page.count("/invitations/") == 30
    assert page.count("1 request to join") == 30
