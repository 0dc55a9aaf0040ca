"""Only programme staff reach the staff side: every URL, every role."""

import pytest
from django.urls import reverse

from applications.models import DossierState

NON_STAFF = ["outsider", "viewer", "editor", "owner"]


def _pages(dossier):
    return [
        reverse("applications:staff_calls"),
        reverse("applications:staff_dossiers", kwargs={"call_id": dossier.call_id}),
        reverse("applications:staff_export", kwargs={"call_id": dossier.call_id}),
        reverse("applications:staff_dossier", kwargs={"dossier_id": dossier.pk}),
    ]


def _actions(dossier):
    return [
        (
            reverse(
                "applications:staff_transition",
                kwargs={"dossier_id": dossier.pk, "name": "mark_ineligible"},
            ),
            {"mark_ineligible-comment": "Out of the territory."},
        ),
        (
            reverse("applications:staff_extension", kwargs={"dossier_id": dossier.pk}),
            {"extension-until": "2099-01-01T12:00", "extension-reason": "Flood in the office."},
        ),
    ]


def test_anonymous_is_sent_to_log_in_everywhere(client, dossier):
    for url in _pages(dossier):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("account_login")), url
    for url, data in _actions(dossier):
        response = client.post(url, data)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("account_login")), url
    dossier.refresh_from_db()
    assert dossier.deadline_extended_to is None


@pytest.mark.parametrize("role", NON_STAFF)
def test_applicants_are_refused_every_staff_page(client, dossier, role, request):
    client.force_login(request.getfixturevalue(role))
    for url in _pages(dossier):
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("role", NON_STAFF)
def test_applicants_cannot_run_staff_actions(client, dossier, role, request):
    client.force_login(request.getfixturevalue(role))
    for url, data in _actions(dossier):
        assert client.post(url, data).status_code == 403, url
    dossier.refresh_from_db()
    assert dossier.state == DossierState.DRAFT
    assert dossier.deadline_extended_to is None
    assert not dossier.transitions.exists()


def test_staff_open_every_staff_page(client, dossier, staff):
    client.force_login(staff)
    for url in _pages(dossier):
        response = client.get(url)
        assert response.status_code == 200, url
    assert client.get(_pages(dossier)[3]).context["dossier"] == dossier


def test_staff_actions_refuse_get(client, dossier, staff):
    client.force_login(staff)
    for url, _data in _actions(dossier):
        assert client.get(url).status_code == 405, url


def test_a_transition_outside_the_staff_actions_is_not_found(client, dossier, staff):
    client.force_login(staff)
    url = reverse(
        "applications:staff_transition", kwargs={"dossier_id": dossier.pk, "name": "withdraw"}
    )
    assert client.post(url).status_code == 404
    dossier.refresh_from_db()
    assert dossier.state == DossierState.DRAFT


def test_an_unknown_dossier_or_call_is_not_found_for_staff(client, staff):
    client.force_login(staff)
    assert (
        client.get(reverse("applications:staff_dossier", kwargs={"dossier_id": 999})).status_code
        == 404
    )
    assert (
        client.get(reverse("applications:staff_dossiers", kwargs={"call_id": 999})).status_code
        == 404
    )
    assert (
        client.get(reverse("applications:staff_export", kwargs={"call_id": 999})).status_code == 404
    )
