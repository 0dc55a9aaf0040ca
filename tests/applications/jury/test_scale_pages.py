"""Staff pages that would grow with the call: the jury page lists only the declared conflicts (a
page at a time, the "no conflict" answers counted), the deliberation summarises each state and
pages a chosen one, and their forms bring staff back to the page they were on."""

import pytest
from django.urls import reverse

from applications.domain import jury_overview
from applications.models import ConflictDeclaration, Dossier
from tests.applications.jury.helpers import declare, jury_dossier, make_juror
from tests.applications.jury.test_deliberation_support import named_juror, under_review
from tests.applications.staff_support import count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(db):
    from tests import factories

    return factories.make_call(title="Appel à grande échelle")


def jury_url(call, **params):
    url = reverse("applications:staff_jury", args=[call.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def test_the_jury_page_lists_conflicts_only_and_counts_the_rest(client, call, staff, monkeypatch):
    monkeypatch.setattr(jury_overview, "CONFLICTS_PER_PAGE", 2)
    jurors = [make_juror(call) for _ in range(2)]
    dossiers = [jury_dossier(call, staff) for _ in range(3)]
    for dossier in dossiers:
        declare(jurors[0], dossier, "none")
        declare(jurors[1], dossier, "financial")
    client.force_login(staff)

    page = client.get(jury_url(call))
    text = page.content.decode()

    assert page.context["counts"] == {"total": 6, "conflicts": 3, "none": 3}
    assert "6 declarations: 3 with a conflict, 3 “no conflict”." in text
    shown = list(page.context["conflicts"].object_list)
    assert len(shown) == 2 and all(d.kind == "financial" for d in shown)
    second = client.get(jury_url(call, page=2)).context["conflicts"]
    assert [d.kind for d in second.object_list] == ["financial"]
    assert 'aria-label="Pages of conflicts"' in text


def test_the_jury_page_costs_the_same_for_1_and_many_declarations(client, call, staff):
    juror = make_juror(call)
    declare(juror, jury_dossier(call, staff), "member")
    client.force_login(staff)
    client.get(jury_url(call))
    _response, one = count_queries(lambda: client.get(jury_url(call)))

    others = [make_juror(call) for _ in range(3)]
    for _ in range(12):
        dossier = jury_dossier(call, staff)
        for n, other in enumerate(others):
            declare(other, dossier, "partner" if n == 0 else "none")
    response, many = count_queries(lambda: client.get(jury_url(call)))

    assert response.context["counts"]["total"] == 37
    assert many == one


def test_a_declaration_is_recorded_by_reference_and_staff_stay_on_their_page(client, call, staff):
    juror = make_juror(call)
    dossier = jury_dossier(call, staff)
    client.force_login(staff)
    url = reverse("applications:staff_record_conflict", args=[call.pk]) + "?page=2&jurors=1"

    response = client.post(
        url,
        {
            "record-juror": juror.pk,
            "record-dossier": dossier.reference.lower(),
            "record-kind": "personal",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == jury_url(call, jurors=1, page=2)
    assert ConflictDeclaration.objects.get(juror=juror, dossier=dossier).kind == "personal"


def test_an_unknown_reference_is_refused_with_the_error_summary(client, call, staff):
    juror = make_juror(call)
    client.force_login(staff)
    url = reverse("applications:staff_record_conflict", args=[call.pk])

    response = client.post(
        url, {"record-juror": juror.pk, "record-dossier": "Z-404", "record-kind": "personal"}
    )
    text = response.content.decode()

    assert response.status_code == 400
    assert "No dossier of this call has the reference “Z-404”." in text
    assert "<title>Error: " in text
    assert 'href="#id_record-dossier"' in text  # the summary links to the field
    assert 'value="Z-404"' in text  # what was typed is kept


def deliberation_url(call, **params):
    url = reverse("applications:staff_deliberation", args=[call.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def test_the_deliberation_shows_the_first_of_each_state_and_pages_the_rest(
    client, call, staff, monkeypatch
):
    from applications.views.staff import deliberation as views

    monkeypatch.setattr(views, "SECTION_PREVIEW", 2)
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    named_juror(call)
    dossiers = [under_review(call, staff) for _ in range(5)]
    client.force_login(staff)

    summary = client.get(deliberation_url(call))
    under = next(s for s in summary.context["sections"] if s["state"] == "under_review")
    assert (under["count"], len(under["dossiers"])) == (5, 2)
    assert "see all 5 dossiers" in summary.content.decode()

    last = client.get(deliberation_url(call, state="under_review", page=3))
    assert [s["state"] for s in last.context["sections"]] == ["under_review"]
    assert len(last.context["sections"][0]["dossiers"]) == 1
    seen = set()
    for number in (1, 2, 3):
        page = client.get(deliberation_url(call, state="under_review", page=number))
        seen |= {d.pk for d in page.context["sections"][0]["dossiers"]}
    assert seen == {d.pk for d in dossiers}


def test_the_quick_shortlist_comes_back_to_the_state_and_page_shown(client, call, staff):
    named_juror(call)
    dossier = under_review(call, staff)
    client.force_login(staff)
    url = reverse("applications:staff_quick_shortlist", args=[call.pk, dossier.pk])

    response = client.post(url + "?state=under_review&page=2")

    assert response.status_code == 302
    assert response["Location"] == deliberation_url(call, state="under_review", page=2)
    assert Dossier.objects.get(pk=dossier.pk).state == "shortlisted"
