"""Dossiers in the staff's global search: by reference (exact first), project title and answers,
linked to the staff's dossier page, in a constant number of queries; French full-text and the
answers' index on PostgreSQL."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accelerator.domain.search import search
from tests import factories

URL = reverse("accelerator:search")


def dossier_ref(reference, **fields):
    """A draft dossier with the given reference (the factory numbers them itself)."""
    made = factories.make_dossier(**fields)
    made.reference = reference
    made.save(update_fields=["reference"])
    return made


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def count_queries(client, url):
    """How many queries a second GET of `url` runs (session warm)."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def references(text):
    _query, groups = search(text)
    found = {group.searcher.kind: group.items for group in groups}
    return [dossier.reference for dossier in found.get("dossiers", [])]


def answers(title, description):
    return {"f-name": title, "f-desc": description}


@pytest.mark.django_db
def test_a_dossier_is_found_by_its_reference_the_exact_one_first():
    call = factories.make_call()
    dossier_ref("AAP-0001", call=call)
    dossier_ref("AAP-00010", call=call)
    dossier_ref("ZZZ-0002", call=call)

    # The newer AAP-00010 would come first by date: the exact reference goes before it.
    assert references("AAP-0001") == ["AAP-0001", "AAP-00010"]
    assert references("aap-00010") == ["AAP-00010"]
    assert references("0002") == ["ZZZ-0002"]


@pytest.mark.django_db
def test_a_dossier_is_found_by_its_project_title_and_its_answers_accents_ignored():
    call = factories.make_call()
    dossier_ref(
        "T-1",
        call=call,
        answers=answers("Tiers-lieu des Bords de Loire", "Un café associatif."),
    )
    dossier_ref(
        "T-2",
        call=call,
        answers=answers("Le Potager", "Nous employons des maraîchers en insertion à Vierzon."),
    )

    assert references("bords de loire") == ["T-1"]
    assert references("maraichers insertion") == ["T-2"]
    assert references("cafe") == ["T-1"]
    # The ids of the questions are no part of the answers.
    assert references("desc") == []


@pytest.mark.django_db
def test_a_dossier_result_shows_its_title_and_the_answer_found_and_opens_for_staff(
    staff_client,
):
    found = dossier_ref(
        "R-0042",
        answers=answers("La Fabrique à vélos", "Atelier participatif de réparation de vélos."),
    )
    client = staff_client

    page = client.get(URL, {"q": "réparation"}).content.decode()

    assert "R-0042 — La Fabrique à vélos" in page
    assert "Atelier participatif de réparation de vélos." in page
    link = reverse("applications:staff_dossier", kwargs={"dossier_id": found.pk})
    assert f'href="{link}"' in page
    assert client.get(link).status_code == 200


@pytest.mark.django_db
def test_dossier_results_run_the_same_queries_for_many_dossiers(staff_client):
    call = factories.make_call()
    client = staff_client

    def fill(n, word):
        for i in range(n):
            factories.make_dossier(call=call, answers=answers(f"{word} {i}", "Un projet."))

    fill(1, "Solo")
    fill(12, "Multi")
    fill(24, "Foule")

    few = count_queries(client, f"{URL}?q=solo")
    many = count_queries(client, f"{URL}?q=multi")
    assert count_queries(client, f"{URL}?q=foule") == many
    assert few <= many
    paged = count_queries(client, f"{URL}?q=foule&kind=dossiers")
    assert count_queries(client, f"{URL}?q=multi&kind=dossiers") == paged
    page = client.get(URL, {"q": "foule", "kind": "dossiers"}).content.decode()
    assert len(re.findall(r'class="search-result"', page)) == 24


# --- PostgreSQL -----------------------------------------------------------------------------------


def require_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL (DATABASE_URL): French full-text search.")


@pytest.mark.services
@pytest.mark.django_db
def test_postgresql_finds_answers_by_french_plurals_and_without_accents():
    require_postgresql()
    call = factories.make_call()
    dossier_ref(
        "P-1",
        call=call,
        answers=answers("Terres communes", "Nous fédérons une cooperative agricole locale."),
    )
    dossier_ref("P-2", call=call, answers=answers("Autre", "Rien à voir."))

    assert references("coopératives agricoles") == ["P-1"]
    assert references("Coopérative locales") == ["P-1"]


@pytest.mark.services
@pytest.mark.django_db
def test_postgresql_can_find_the_answers_through_their_index():
    require_postgresql()
    from accelerator.domain.search import parse
    from applications.domain.search import find_dossiers

    factories.make_dossier(answers=answers("Épicerie", "Une épicerie solidaire."))
    queryset = find_dossiers(parse("épiceries"))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "applications_dossier_answers_search" in plan
