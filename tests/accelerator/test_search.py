"""The staff's global search: structures, accompaniments and people found, who may search, links
every staff member may open, a constant number of queries, and French full-text on PostgreSQL."""

import re

import pytest
from django.db import connection
from django.urls import reverse

from accelerator.domain.search import parse, search
from tests import factories
from tests.accelerator.cohorts import accompany, make_cohort

URL = reverse("accelerator:search")


def results(client, text, **params):
    response = client.get(URL, {"q": text, **params})
    assert response.status_code == 200
    return response


def names_of(text, kind):
    _query, groups = search(text)
    found = {group.searcher.kind: group.items for group in groups}
    items = found.get(kind, [])
    if kind == "structures":
        return [item.name for item in items]
    if kind == "accompaniments":
        return [(item.structure.name, item.cohort.name) for item in items]
    return [item.email for item in items]


def spaced(siret):
    return f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"


# --- what is found -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_structure_is_found_by_its_name_accents_and_case_ignored():
    factories.StructureFactory(name="Coopérative du Hangar")
    factories.StructureFactory(name="Les Jardins de Cocagne")

    assert names_of("hangar", "structures") == ["Coopérative du Hangar"]
    assert names_of("COOPERATIVE hangar", "structures") == ["Coopérative du Hangar"]
    # A French plural finds the singular on every database (the stemmer on PostgreSQL).
    assert names_of("coopératives", "structures") == ["Coopérative du Hangar"]
    assert names_of("jardin", "structures") == ["Les Jardins de Cocagne"]
    assert names_of("hangar cocagne", "structures") == []


@pytest.mark.django_db
def test_a_structure_is_found_by_its_siret_typed_with_spaces_and_by_its_siren():
    wanted = factories.StructureFactory(name="Le Relais")
    factories.StructureFactory(name="Autre structure")

    assert names_of(spaced(wanted.siret), "structures") == ["Le Relais"]
    assert names_of(wanted.siret[:9], "structures") == ["Le Relais"]
    siren_spaced = f"{wanted.siret[:3]} {wanted.siret[3:6]} {wanted.siret[6:9]}"
    assert names_of(siren_spaced, "structures") == ["Le Relais"]


@pytest.mark.django_db
def test_an_exact_siret_comes_before_names_that_merely_match():
    exact = factories.StructureFactory(name="Zèbre solidaire")
    # A name holding the same digits matches the words, but is no exact identifier.
    factories.StructureFactory(name=f"Atelier {exact.siret}")

    assert names_of(exact.siret, "structures")[0] == "Zèbre solidaire"


@pytest.mark.django_db
def test_a_structure_is_found_by_its_commune_and_postcode():
    factories.StructureFactory(name="La Ressourcerie", city="Châteauroux", postcode="36000")
    factories.StructureFactory(name="Le Fournil", city="Orléans", postcode="45000")

    assert names_of("chateauroux", "structures") == ["La Ressourcerie"]
    assert names_of("Orléans", "structures") == ["Le Fournil"]
    assert names_of("36000", "structures") == ["La Ressourcerie"]


@pytest.mark.django_db
def test_an_accompaniment_is_found_by_its_structure_and_its_cohort():
    cohort = make_cohort(name="Promotion Loire")
    accompany(cohort, factories.StructureFactory(name="Épicerie Solidaire"))
    accompany(make_cohort(name="Promotion Cher"), factories.StructureFactory(name="Le Garage"))

    assert names_of("epicerie", "accompaniments") == [("Épicerie Solidaire", "Promotion Loire")]
    assert names_of("loire", "accompaniments") == [("Épicerie Solidaire", "Promotion Loire")]
    assert names_of("garage cher", "accompaniments") == [("Le Garage", "Promotion Cher")]


@pytest.mark.django_db
def test_a_person_is_found_by_name_and_by_e_mail():
    factories.UserFactory(first_name="Hélène", last_name="Durand", email="h.durand@example.org")
    factories.UserFactory(first_name="Paul", last_name="Lefèvre", email="paul@example.net")

    assert names_of("helene", "people") == ["h.durand@example.org"]
    assert names_of("Hélène Durand", "people") == ["h.durand@example.org"]
    assert names_of("lefevre", "people") == ["paul@example.net"]
    assert names_of("paul@example.net", "people") == ["paul@example.net"]


def test_a_query_is_read_once_into_words_and_identifier_digits():
    assert parse("  732 829 320\u00a000074 ").digits == "73282932000074"
    assert parse("Tiers-lieu d'Orléans").words == ("Tiers", "lieu", "d", "Orléans")
    assert parse("12").digits == ""
    assert not parse("   ")
    # No tsquery operator survives: only letters and digits are kept.
    assert parse("a & b | !c:*").tsquery == "a:* & b:* & c:*"


# --- the page ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_non_staff_are_refused_and_anonymous_people_log_in(
    client_for, owner, support_point_user, staff
):
    anonymous = client_for(None).get(URL, {"q": "x"})
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))
    assert client_for(owner).get(URL, {"q": "x"}).status_code == 403
    assert client_for(support_point_user).get(URL, {"q": "x"}).status_code == 403
    assert client_for(staff).get(URL, {"q": "x"}).status_code == 200


@pytest.mark.django_db
def test_results_are_grouped_by_kind_and_every_link_opens_for_staff(client_for, staff):
    structure = factories.StructureFactory(name="Maison Fleurie")
    member = factories.MembershipFactory(structure=structure, role="owner").user
    member.last_name = "Fleurie"
    member.save()
    accompany(make_cohort(), structure)
    client = client_for(staff)

    page = results(client, "fleurie").content.decode()

    headings = re.findall(r'<h2 id="search-kind-(\w+)"', page)
    assert headings == ["structures", "accompaniments", "people"]
    links = set(re.findall(r'href="(/[^"#?]*)"', page.split("<main", 1)[1]))
    targets = {
        reverse("accelerator:structure", kwargs={"pk": structure.pk}),
        reverse("accelerator:members", kwargs={"pk": structure.pk}),
        reverse("accelerator:accompaniment", kwargs={"pk": structure.accompaniments.get().pk}),
    }
    assert targets <= links
    for link in targets:
        assert client.get(link).status_code == 200, link


@pytest.mark.django_db
def test_an_empty_search_and_a_search_that_finds_nothing_say_so(client_for, staff):
    client = client_for(staff)

    blank = results(client, "").content.decode()
    assert 'name="q"' in blank and "No result" not in blank

    none = results(client, "introuvable").content.decode()
    assert "No result for “introuvable”." in none


@pytest.mark.django_db
def test_each_kind_shows_its_first_results_and_links_to_all_of_them_page_by_page(client_for, staff):
    for n in range(13):
        factories.StructureFactory(name=f"Ruche {n:02d}")
    client = client_for(staff)

    grouped = results(client, "ruche").content.decode()
    assert grouped.count('class="search-result"') == 10
    assert "13 results" in grouped
    assert "And 3 more" in grouped
    assert "kind=structures" in grouped

    first = results(client, "ruche", kind="structures").content.decode()
    assert first.count('class="search-result"') == 13
    assert client.get(URL, {"q": "ruche", "kind": "unknown"}).status_code == 404


def _fill(n, word):
    cohort = make_cohort(name=f"Cohorte {word}")
    for i in range(n):
        structure = factories.StructureFactory(name=f"{word} {i}")
        factories.MembershipFactory(structure=structure, user__last_name=f"{word}{i}")
        accompany(cohort, structure)


@pytest.mark.django_db
def test_the_number_of_queries_does_not_grow_with_the_matches(
    client_for, staff, count_queries, django_assert_max_num_queries
):
    client = client_for(staff)
    _fill(1, "Solo")
    _fill(15, "Multi")
    _fill(30, "Foule")
    url = f"{URL}?q="

    few = count_queries(client, url + "solo")
    many = count_queries(client, url + "multi")
    more = count_queries(client, url + "foule")

    assert many == more
    assert few <= many
    with django_assert_max_num_queries(many):
        client.get(url + "solo")
    assert count_queries(client, url + "foule&kind=people") == count_queries(
        client, url + "multi&kind=people"
    )


# --- French full-text search on PostgreSQL -------------------------------------------------------


def require_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL (DATABASE_URL): French full-text search.")


@pytest.mark.services
@pytest.mark.django_db
def test_postgresql_stems_french_plurals_and_ignores_accents():
    require_postgresql()
    factories.StructureFactory(name="Cooperative des tisserands")
    factories.StructureFactory(name="Les Ateliers Réunis", city="Bourges")

    assert names_of("coopératives", "structures") == ["Cooperative des tisserands"]
    assert names_of("tisserand", "structures") == ["Cooperative des tisserands"]
    assert names_of("atelier reuni", "structures") == ["Les Ateliers Réunis"]
    assert names_of("réunies", "structures") == ["Les Ateliers Réunis"]


@pytest.mark.services
@pytest.mark.django_db
def test_postgresql_ranks_a_name_above_a_commune():
    require_postgresql()
    # By name, "Atelier…" and "Épicerie" would come first: the rank puts the name's match first.
    factories.StructureFactory(name="Atelier du Centre", city="Vierzon")
    factories.StructureFactory(name="Épicerie", city="Vierzon")
    factories.StructureFactory(name="Vierzon Solidaire", city="Tours")

    found = names_of("vierzon", "structures")
    assert found[0] == "Vierzon Solidaire"
    assert set(found[1:]) == {"Atelier du Centre", "Épicerie"}


@pytest.mark.services
@pytest.mark.django_db
def test_postgresql_ranks_a_whole_word_above_a_longer_word_it_begins():
    require_postgresql()
    factories.StructureFactory(name="Atelier Hangars")
    factories.StructureFactory(name="Hangarium")

    assert names_of("hangar", "structures") == ["Atelier Hangars", "Hangarium"]


def plan_of(queryset):
    """PostgreSQL's plan of `queryset`, sequential scans discouraged (a test table is tiny: the
    planner would read it whole whatever its indexes)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.services
@pytest.mark.django_db
def test_postgresql_finds_structures_through_their_indexes():
    """The GIN index of migration accelerator 0013 is written as `find_structures` compiles its
    vector: if either changes alone, PostgreSQL reads every structure again."""
    require_postgresql()
    from accelerator.domain.search import find_structures, parse

    factories.StructureFactory(name="Cooperative des tisserands", postcode="18000")

    assert "accelerator_structure_search" in plan_of(find_structures(parse("tisserands")))
    by_postcode = plan_of(find_structures(parse("18000")))
    assert "accelerator_structure_postcode" in by_postcode
    assert "accelerator_structure_search" in by_postcode
