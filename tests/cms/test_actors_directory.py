"""The directory of actors: searched and filtered by visitors in constant queries; an actor's page
lists the entries it organises and co-organises; anyone signed in proposes an actor, staff
approve it, then its managers keep it up to date."""

import pytest
from django.urls import reverse

from cms.domain.moderation import run_actor
from cms.models import Actor
from tests import factories
from tests.cms.agenda_helpers import make_actor, make_entry, paris, queries_of

pytestmark = pytest.mark.django_db


def _names(response):
    return [actor.name for actor in response.context["actors"]]


def test_the_directory_lists_published_actors_only(client):
    make_actor(name="Bio Centre")
    make_actor(name="Waiting", state="proposed")
    make_actor(name="Refused", state="rejected")
    assert _names(client.get(reverse("cms:actors"))) == ["Bio Centre"]


def test_visitors_search_and_filter_the_directory(client):
    cher = factories.department("18", "Cher")
    make_actor(
        name="France Active Centre", kind="funder", offers=["funding"], themes=["employment"]
    )
    make_actor(
        name="Université de Tours",
        kind="university",
        offers=["expertise"],
        themes=["education"],
        description="Research on circular economy",
        department=cher,
    )
    make_actor(name="Ressourcerie du Cher", offers=["premises", "volunteering"], department=cher)
    url = reverse("cms:actors")
    assert _names(client.get(url, {"q": "circular"})) == ["Université de Tours"]
    assert _names(client.get(url, {"q": "centre active"})) == ["France Active Centre"]
    assert _names(client.get(url, {"kind": "funder"})) == ["France Active Centre"]
    assert _names(client.get(url, {"department": cher.pk})) == [
        "Ressourcerie du Cher",
        "Université de Tours",
    ]
    assert _names(client.get(url, {"theme": "education"})) == ["Université de Tours"]
    assert _names(client.get(url, {"offer": "premises", "department": cher.pk})) == [
        "Ressourcerie du Cher"
    ]


def test_the_directory_runs_the_same_queries_with_one_and_fifty_actors(client):
    make_actor(themes=["food", "health"], offers=["funding", "premises"])
    url = reverse("cms:actors")
    # The count, the page, its themes, its offers, the départements of the filter, and the
    # site's menu and footer settings.
    one, _response = queries_of(client, url, {"theme": "food"})
    for _n in range(49):
        make_actor(themes=["food", "health"], offers=["funding", "premises"])
    fifty, response = queries_of(client, url, {"theme": "food"})
    assert one == fifty <= 7
    assert len(response.context["actors"]) == 24


def test_an_actors_page_lists_its_organised_and_co_organised_entries(client):
    actor = make_actor(name="Maison de l'ESS")
    make_entry(title="Organised", organiser_actor=actor)
    make_entry(title="Joint", co_organisers=[actor, make_actor(name="Partner")])
    make_entry(title="Old", organiser_actor=actor, starts_at=paris(2020, 5, 1, 10))
    make_entry(title="Waiting", organiser_actor=actor, state="proposed")
    make_entry(title="Not theirs")
    response = client.get(reverse("cms:actor", kwargs={"pk": actor.pk}))
    assert response.status_code == 200
    assert sorted(e.title for e in response.context["upcoming"]) == ["Joint", "Organised"]
    assert [e.title for e in response.context["past"]] == ["Old"]


def test_an_actors_page_runs_the_same_queries_with_one_and_fifty_entries(client):
    actor = make_actor()
    make_entry(organiser_actor=actor)
    make_entry(organiser_actor=actor, starts_at=paris(2020, 5, 1, 10))
    url = reverse("cms:actor", kwargs={"pk": actor.pk})
    # The actor, its themes and offers; upcoming and past entries with their themes and
    # co-organisers; the site's menu and footer settings.
    one, _response = queries_of(client, url)
    for _n in range(48):
        make_entry(co_organisers=[actor, make_actor()])
    fifty, _response = queries_of(client, url)
    assert one == fifty <= 11


def test_an_unpublished_actor_is_hidden_from_visitors(client):
    actor = make_actor(state="proposed")
    assert client.get(reverse("cms:actor", kwargs={"pk": actor.pk})).status_code == 404


def test_a_person_proposes_an_actor_staff_approve_it_then_they_keep_it(client, staff):
    person = factories.UserFactory()
    client.force_login(person)
    data = {
        "name": "Ressourcerie de Vierzon",
        "kind": "association",
        "department": factories.department("18", "Cher").pk,
        "themes": ["circular_economy"],
        "offers": ["volunteering"],
        "description": "Collecte et réemploi.",
        "website": "https://ressourcerie.example.org",
    }
    refused = client.post(reverse("cms:actor_propose"), {**data, "name": "", "themes": []})
    assert refused.status_code == 200
    assert set(refused.context["form"].errors) == {"name", "themes"}
    assert 'value="https://ressourcerie.example.org"' in refused.content.decode()
    assert client.post(reverse("cms:actor_propose"), data).status_code == 302
    actor = Actor.objects.get()
    assert actor.state == "proposed" and list(actor.managers.all()) == [person]
    edit = reverse("cms:actor_edit", kwargs={"pk": actor.pk})
    client.logout()
    assert _names(client.get(reverse("cms:actors"))) == []
    run_actor(actor, "approve", staff)
    assert _names(client.get(reverse("cms:actors"))) == ["Ressourcerie de Vierzon"]
    client.force_login(person)
    assert client.post(edit, {**data, "description": "Ouvert le samedi."}).status_code == 302
    actor.refresh_from_db()
    assert actor.description == "Ouvert le samedi." and actor.state == "approved"
    client.force_login(factories.UserFactory())
    assert client.get(edit).status_code == 403
