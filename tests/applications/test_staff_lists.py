"""The staff's lists: calls with their counts, a call's dossiers with filters, search and pages."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from accelerator.models import LegalForm
from applications.domain.dossiers import change_state
from applications.domain.queries import calls_with_state_counts, siret_digits
from tests import factories
from tests.applications.staff_support import count_queries, submitted_dossier


def _list_url(call, **params):
    from urllib.parse import urlencode

    url = reverse("applications:staff_dossiers", kwargs={"call_id": call.pk})
    return f"{url}?{urlencode(params)}" if params else url


def _references(response):
    return [dossier.reference for dossier in response.context["page"].object_list]


def _chips(response):
    return {chip["state"]: chip["count"] for chip in response.context["chips"]}


# --- the calls list ---------------------------------------------------------------------------


def test_calls_list_counts_dossiers_per_state_and_shows_paris_time(client, staff):
    call = factories.make_call(title="Appel Alpha")
    factories.make_dossier(call=call)
    submitted_dossier(call)
    submitted_dossier(call)
    factories.make_call(title="Appel Vide")
    client.force_login(staff)

    response = client.get(reverse("applications:staff_calls"))

    calls = {c.title: c for c in response.context["calls"]}
    alpha = calls["Appel Alpha"]
    assert alpha.dossiers_total == 3
    assert {i["state"]: i["count"] for i in alpha.state_counts} == {"draft": 1, "submitted": 2}
    assert calls["Appel Vide"].dossiers_total == 0
    page = response.content.decode()
    assert "(Paris time)" in page
    assert reverse("applications:staff_dossiers", kwargs={"call_id": alpha.pk}) in page


def test_calls_with_state_counts_is_one_query(db):
    call = factories.make_call()
    submitted_dossier(call)
    calls, queries = count_queries(lambda: list(calls_with_state_counts()))
    assert queries == 1
    assert [c.dossiers_submitted for c in calls] == [1]


def test_calls_list_query_count_does_not_grow_with_calls(client, staff):
    client.force_login(staff)
    url = reverse("applications:staff_calls")
    first = factories.make_call()
    submitted_dossier(first)
    client.get(url)  # the session, and the site's menu and footer cached
    response, one_call = count_queries(lambda: client.get(url))
    assert len(response.context["calls"]) == 1
    for _ in range(29):
        call = factories.make_call()
        submitted_dossier(call)
        factories.make_dossier(call=call)
    client.get(url)  # publishing the calls' pages redraws the cached menu and footer
    response, thirty_calls = count_queries(lambda: client.get(url))
    assert len(response.context["calls"]) == 30
    assert thirty_calls == one_call


# --- a call's dossiers -----------------------------------------------------------------------


def _population(staff):
    """Four dossiers of one call across départements, legal forms and states, and a stranger."""
    call = factories.make_call()
    loiret = factories.department("45", "Loiret")
    touraine = factories.department("37", "Indre-et-Loire")
    farm = submitted_dossier(
        call,
        factories.StructureFactory(
            name="Ferme des Possibles", department=loiret, siret=factories.valid_siret(9001)
        ),
    )
    coop = factories.make_dossier(
        call=call,
        structure=factories.StructureFactory(
            name="Coop Mobilité", department=touraine, legal_form=LegalForm.SCOP
        ),
    )
    grocery = submitted_dossier(
        call,
        factories.StructureFactory(
            name="Épicerie solidaire", department=loiret, legal_form=LegalForm.SCIC
        ),
    )
    change_state(grocery, "mark_eligible", staff)
    garage = submitted_dossier(
        call,
        factories.StructureFactory(
            name="Garage solidaire", department=touraine, legal_form=LegalForm.SCIC
        ),
    )
    stranger = factories.make_dossier(call=factories.make_call())
    return call, {
        "farm": farm,
        "coop": coop,
        "grocery": grocery,
        "garage": garage,
        "other": stranger,
    }


def test_dossier_list_shows_only_the_call_with_counts(client, staff):
    call, d = _population(staff)
    client.force_login(staff)
    response = client.get(_list_url(call))
    assert sorted(_references(response)) == sorted(
        x.reference for x in (d["farm"], d["coop"], d["grocery"], d["garage"])
    )
    assert d["other"].reference not in response.content.decode()
    assert _chips(response)["submitted"] == 2
    assert _chips(response)["draft"] == 1
    assert _chips(response)["eligible"] == 1
    assert response.context["total"] == 4


def test_state_filter_and_chips_that_ignore_it(client, staff):
    call, d = _population(staff)
    client.force_login(staff)
    response = client.get(_list_url(call, state="submitted", department="45"))
    assert _references(response) == [d["farm"].reference]
    # The chips count the département filter but not the state filter.
    assert _chips(response) == {**_chips(response), "submitted": 1, "eligible": 1, "draft": 0}
    chip = next(c for c in response.context["chips"] if c["state"] == "eligible")
    assert "department=45" in chip["query"] and "state=eligible" in chip["query"]
    assert "state=submitted" not in chip["query"]
    page = response.content.decode()
    # The selects are prefilled with the current filters.
    assert '<option value="submitted" selected>' in page
    assert '<option value="45" selected>' in page


def test_department_and_legal_form_filters(client, staff):
    call, d = _population(staff)
    client.force_login(staff)
    response = client.get(_list_url(call, department="37"))
    assert sorted(_references(response)) == sorted([d["coop"].reference, d["garage"].reference])
    response = client.get(_list_url(call, department="37", legal_form="scic"))
    assert _references(response) == [d["garage"].reference]
    assert _chips(response)["submitted"] == 1
    assert _chips(response)["draft"] == 0


def test_search_by_name_any_case_and_by_siret_with_spaces(client, staff):
    call, d = _population(staff)
    client.force_login(staff)
    response = client.get(_list_url(call, q="SOLIDAIRE"))
    assert sorted(_references(response)) == sorted([d["grocery"].reference, d["garage"].reference])
    siret = d["farm"].structure.siret
    spaced = f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"
    response = client.get(_list_url(call, q=spaced))
    assert _references(response) == [d["farm"].reference]
    assert _chips(response)["submitted"] == 1
    response = client.get(_list_url(call, q=siret[:9]))
    assert _references(response) == [d["farm"].reference]


def test_siret_digits_drops_spaces_and_dots():
    assert siret_digits(" 732 829.320 00074 ") == "73282932000074"


def test_an_invalid_filter_shows_the_whole_list(client, staff):
    call, _d = _population(staff)
    client.force_login(staff)
    response = client.get(_list_url(call, state="nonsense"))
    assert response.status_code == 200
    assert len(_references(response)) == 4


def test_list_shows_personal_deadline_and_last_change(client, staff):
    call = factories.make_call()
    later = call.closes_at + timedelta(days=3)
    dossier = factories.make_dossier(call=call, deadline_extended_to=later)
    client.force_login(staff)
    response = client.get(_list_url(call))
    row = response.context["page"].object_list[0]
    assert row.deadline_extended_to == later
    assert row.last_change_at >= dossier.created_at
    page = response.content.decode()
    assert timezone.localtime(later).strftime("%H:%M") in page


def test_last_change_follows_the_latest_transition(db, staff):
    from applications.domain.queries import staff_dossier_list

    call = factories.make_call()
    dossier = submitted_dossier(call)
    change_state(dossier, "request_info", staff, "Add your budget.")
    latest = dossier.transitions.order_by("-at").first().at
    row = staff_dossier_list(call).get(pk=dossier.pk)
    assert row.last_change_at == latest


def test_pages_of_fifty(client, staff):
    call = factories.make_call()
    for _ in range(51):
        factories.make_dossier(call=call)
    client.force_login(staff)
    first = client.get(_list_url(call))
    assert len(_references(first)) == 50
    second = client.get(_list_url(call, page=2))
    assert len(_references(second)) == 1
    assert not set(_references(first)) & set(_references(second))
    assert first.context["page"].paginator.count == 51


def test_page_links_keep_the_filters(client, staff):
    call = factories.make_call()
    for _ in range(51):
        factories.make_dossier(call=call)
    client.force_login(staff)
    response = client.get(_list_url(call, state="draft"))
    assert "state=draft&amp;page=2" in response.content.decode()


def test_dossier_list_query_count_does_not_grow_with_rows(client, staff):
    call = factories.make_call()
    submitted_dossier(call)
    client.force_login(staff)
    url = _list_url(call, department="45", q="Structure")
    client.get(url)  # the session, and the site's menu and footer cached
    response, one_row = count_queries(lambda: client.get(url))
    assert len(_references(response)) == 1
    for index in range(29):
        dossier = submitted_dossier(call, deadline_extended_to=call.closes_at + timedelta(days=1))
        if index % 2:
            change_state(dossier, "request_info", staff, "A question.")
    response, thirty_rows = count_queries(lambda: client.get(url))
    assert len(_references(response)) == 30
    assert thirty_rows == one_row
