import json

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.domain.attachments import attach_file
from applications.domain.dossiers import change_state
from tests import factories
from tests.applications.test_files import PDF, upload

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "viewer", "editor", "owner", "staff"]


def login(client, request, who):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))


def page(dossier):
    return reverse("applications:dossier", args=[dossier.pk])


@pytest.mark.parametrize("who", ROLES)
def test_dossier_page_by_role(client, dossier, who, request):
    login(client, request, who)
    response = client.get(page(dossier))
    expected = {"anonymous": 302, "outsider": 404}.get(who, 200)
    assert response.status_code == expected
    if who == "anonymous":
        assert response.url.startswith(reverse("account_login"))
    if expected == 200:
        editing = who in ("editor", "owner")
        assert (response.context["form"] is not None) is editing
        assert (response.context["rows"] is None) is editing
        html = response.content.decode()
        assert "Tiers-lieu" in html
        assert ("Save draft" in html) is editing
        assert ("Withdraw this dossier" in html) is editing


@pytest.mark.parametrize("who", ROLES)
def test_saving_the_dossier_by_role(client, dossier, who, request):
    login(client, request, who)
    response = client.post(
        page(dossier), {"f-name": "Changed", "f-desc": "x", "revision": 0, "action": "save"}
    )
    expected = {"anonymous": 302, "outsider": 404, "viewer": 403, "staff": 403}.get(who, 302)
    assert response.status_code == expected
    dossier.refresh_from_db()
    assert (dossier.answers["f-name"] == "Changed") is (who in ("editor", "owner"))


@pytest.mark.parametrize("who", ROLES)
def test_autosave_by_role(client, dossier, who, request):
    login(client, request, who)
    response = client.post(
        reverse("applications:autosave", args=[dossier.pk]),
        json.dumps({"revision": 0, "data": {"f-name": ["Changed"]}}),
        content_type="application/json",
    )
    expected = {"anonymous": 401, "outsider": 404, "viewer": 403, "staff": 403}.get(who, 200)
    assert response.status_code == expected
    dossier.refresh_from_db()
    assert (dossier.revision == 1) is (expected == 200)


@pytest.mark.parametrize("who", ROLES)
def test_start_page_by_role(client, open_call, structure, who, request):
    login(client, request, who)
    response = client.get(reverse("applications:start_dossier", args=[open_call.pk]))
    if who == "anonymous":
        assert response.status_code == 302
        return
    assert response.status_code == 200
    can_apply_here = who in ("editor", "owner")
    assert (structure in response.context["structures"]) is can_apply_here
    if who in ("viewer", "staff"):
        assert "you need to be an owner or an editor of a structure" in response.content.decode()


@pytest.mark.parametrize("who", ["viewer", "outsider", "staff"])
def test_only_editors_of_a_structure_start_its_dossier(client, open_call, structure, who, request):
    login(client, request, who)
    response = client.post(
        reverse("applications:start_dossier", args=[open_call.pk]), {"structure": structure.pk}
    )
    assert response.status_code == 400
    assert not structure.dossiers.exists()


def test_start_page_of_an_unknown_call_is_404(client, owner):
    client.force_login(owner)
    assert client.get(reverse("applications:start_dossier", args=[999999])).status_code == 404


def test_an_outsider_reaches_nothing_of_another_structure_by_any_url(client, dossier, owner):
    call = factories.make_call(
        form=[
            {
                "type": "file",
                "id": "f-file",
                "value": {"label": "File", "required": False, "max_files": 3},
            }
        ]
    )
    file_dossier = factories.make_dossier(call=call, structure=dossier.structure, answers={})
    attachment = attach_file(file_dossier, "f-file", upload("a.pdf", PDF), owner)
    outsider = factories.MembershipFactory(role="owner").user
    client.force_login(outsider)
    urls = [
        reverse("applications:dossier", args=[file_dossier.pk]),
        reverse("applications:autosave", args=[file_dossier.pk]),
        reverse("applications:withdraw", args=[file_dossier.pk]),
        reverse("applications:attachment", args=[file_dossier.pk, attachment.pk]),
        reverse("applications:delete_attachment", args=[file_dossier.pk, attachment.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code in (404, 405), url
        posted = client.post(url, {"confirm": "on", "revision": 0, "action": "submit"})
        assert posted.status_code == 404, url
    file_dossier.refresh_from_db()
    assert file_dossier.state == "draft" and file_dossier.attachments.count() == 1
    # Their own list never shows the other structure's dossiers.
    listed = client.get(reverse("applications:my_dossiers"))
    assert file_dossier.reference not in listed.content.decode()


def test_staff_read_a_submitted_dossier_and_its_history(client, dossier, owner, staff):
    change_state(dossier, "submit", owner)
    change_state(dossier, "request_info", staff, "Budget details, please.")
    client.force_login(staff)
    response = client.get(page(dossier))
    assert response.status_code == 200
    assert response.context["form"] is None
    assert "Budget details, please." in response.content.decode()


def test_the_history_shows_comments_to_applicants(client, dossier, owner, staff, viewer):
    change_state(dossier, "submit", owner)
    change_state(dossier, "mark_ineligible", staff, "The structure is outside the région.")
    client.force_login(viewer)
    html = client.get(page(dossier)).content.decode()
    assert "The structure is outside the région." in html
    assert "Ineligible" in html


# --- my dossiers -------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "outsider", "viewer", "owner"])
def test_my_dossiers_by_role(client, dossier, who, request):
    login(client, request, who)
    response = client.get(reverse("applications:my_dossiers"))
    if who == "anonymous":
        assert response.status_code == 302
        return
    assert response.status_code == 200
    assert (dossier.reference in response.content.decode()) is (who in ("viewer", "owner"))


def make_dossiers(owner, count):
    # One live dossier per structure and call: six structures on five calls give thirty.
    structures = [
        factories.MembershipFactory(user=owner, role="editor").structure for _ in range(6)
    ]
    calls = [factories.make_call() for _ in range((count + 5) // 6)]
    return [
        factories.make_dossier(call=calls[i // 6], structure=structures[i % 6], last_saved_by=owner)
        for i in range(count)
    ]


def test_my_dossiers_runs_the_same_queries_for_1_and_30(client, owner):
    url = reverse("applications:my_dossiers")
    client.force_login(owner)

    def queries_for(count):
        make_dossiers(owner, count)
        client.get(url)  # warm the session
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries), len(response.context["dossiers"])

    one = queries_for(1)
    thirty = queries_for(29)
    assert one[1] == 1 and thirty[1] == 25  # 30 dossiers: a full first page
    # session (unless cached), user, count, one page of dossiers with call, structure, saver
    assert one[0] == thirty[0] <= 4


def test_the_list_include_renders_for_other_pages(owner):
    dossiers = make_dossiers(owner, 2)
    html = render_to_string("applications/dossier/_my_dossiers.html", {"dossiers": dossiers})
    for dossier in dossiers:
        assert reverse("applications:dossier", args=[dossier.pk]) in html
    assert "No dossier yet" in render_to_string(
        "applications/dossier/_my_dossiers.html", {"dossiers": []}
    )
