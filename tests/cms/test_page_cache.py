"""The public pages kept for anonymous visitors (essor/page_cache.py): served again without a query,
never to a signed-in person, forgotten at once when a page, the site's settings, an agenda entry
or an actor changes, per language, and never with another visitor's CSRF token."""

import pytest
from django.contrib import messages
from django.http import HttpResponse
from django.template import engines
from django.test import Client
from django.urls import include, path, reverse

from cms.domain.moderation import run_actor, run_entry
from cms.models import SiteSettings
from essor.page_cache import HEADER
from tests import factories
from tests.cms.agenda_helpers import make_actor, make_entry

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("page", ["call", "agenda", "agenda_entry", "actors", "actor"])
def test_an_anonymous_visitors_second_request_costs_no_query(
    client, django_assert_num_queries, page
):
    call = factories.make_call(title="Tiers-lieux ruraux")
    entry = make_entry(title="Forum de l'emploi")
    url = {
        "call": call.url,
        "agenda": reverse("cms:agenda"),
        "agenda_entry": reverse("cms:agenda_entry", kwargs={"pk": entry.pk}),
        "actors": reverse("cms:actors"),
        "actor": reverse("cms:actor", kwargs={"pk": make_actor().pk}),
    }[page]
    first = client.get(url)
    assert first.status_code == 200
    assert first[HEADER] == "miss"
    with django_assert_num_queries(0):
        second = Client().get(url)
    assert second[HEADER] == "hit"
    assert second.content == first.content
    # The outer middleware still dress the kept page.
    assert "Content-Security-Policy" in second
    assert second["Content-Type"] == first["Content-Type"]


def test_signed_in_people_never_get_nor_fill_the_kept_pages(client):
    call = factories.make_call()
    person = factories.UserFactory()
    signed_in = Client()
    signed_in.force_login(person)
    response = signed_in.get(call.url)
    assert HEADER not in response
    assert "Log out" in response.content.decode()

    assert client.get(call.url)[HEADER] == "miss"
    response = signed_in.get(call.url)
    assert HEADER not in response
    assert "Log out" in response.content.decode()
    assert "Log out" not in Client().get(call.url).content.decode()


def test_publishing_or_withdrawing_a_page_shows_at_once(client):
    call = factories.make_call(title="Tiers-lieux ruraux")
    client.get(call.url)
    assert client.get(call.url)[HEADER] == "hit"
    call.title = "Mobilités solidaires"
    call.save_revision().publish()
    response = client.get(call.url)
    assert "Mobilités solidaires" in response.content.decode()
    call.unpublish()
    assert client.get(call.url).status_code == 404


def test_approving_an_agenda_entry_or_an_actor_shows_at_once(client, staff):
    entry = make_entry(title="Forum de l'emploi", state="proposed")
    actor = make_actor(name="Maison de l'emploi", state="proposed")
    for url in (reverse("cms:agenda"), reverse("cms:actors")):
        client.get(url)
        assert client.get(url)[HEADER] == "hit"
    run_entry(entry, "approve", staff)
    run_actor(actor, "approve", staff)
    assert "Forum de l&#x27;emploi" in client.get(reverse("cms:agenda")).content.decode()
    assert "Maison de l&#x27;emploi" in client.get(reverse("cms:actors")).content.decode()


def test_saving_the_site_settings_shows_at_once(client, django_capture_on_commit_callbacks):
    call = factories.make_call()
    client.get(call.url)
    settings = SiteSettings.load()
    settings.footer_text = "Un programme du territoire"
    with django_capture_on_commit_callbacks(execute=True):
        settings.save()
    assert "Un programme du territoire" in client.get(call.url).content.decode()


def test_the_query_string_is_part_of_the_key(client):
    make_entry(title="Forum de l'emploi")
    client.get(reverse("cms:agenda"))
    response = client.get(reverse("cms:agenda"), {"page": "2"})
    assert response[HEADER] == "miss"


def test_pages_outside_the_public_site_and_failures_are_not_kept(client):
    for url in (reverse("account_login"), "/agenda/999999/", reverse("cms:agenda_ical")):
        client.get(url)
        assert HEADER not in client.get(url)


def _render(request, source):
    return HttpResponse(engines["django"].from_string(source).render({}, request))


def _token_in_a_script(request):
    return _render(request, '<main data-token="{{ csrf_token }}">Form</main>')


def _token_in_a_form(request):
    return _render(request, "<form>{% csrf_token %}</form>")


def _in_its_language(request, pk):
    return _render(request, "<main>{{ LANGUAGE_CODE }}</main>")


def _with_a_message(request):
    messages.info(request, "Saved.")
    return _render(request, "<main>{% for m in messages %}{{ m }}{% endfor %}</main>")


# Views under the public site's names, to check what the cache keeps and refuses to keep.
urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path(
        "",
        include(
            (
                [
                    path("agenda/", _token_in_a_script, name="agenda"),
                    path("actors/", _token_in_a_form, name="actors"),
                    path("agenda/archive/", _with_a_message, name="agenda_archive"),
                    path("actors/<int:pk>/", _in_its_language, name="actor"),
                ],
                "cms",
            )
        ),
    ),
]


@pytest.mark.urls(__name__)
def test_a_page_that_drew_a_csrf_token_or_a_message_is_not_kept(client):
    # A token is its visitor's alone, in a form or given to a script; so is a message.
    for url in ("/agenda/", "/actors/", "/agenda/archive/"):
        client.get(url)
        assert HEADER not in Client().get(url)


@pytest.mark.urls(__name__)
def test_the_language_is_part_of_the_key(client):
    english = client.get("/actors/1/", headers={"accept-language": "en"})
    assert english.content == b"<main>en</main>"
    french = client.get("/actors/1/", headers={"accept-language": "fr"})
    assert french[HEADER] == "miss"
    assert french.content == b"<main>fr</main>"
    assert client.get("/actors/1/", headers={"accept-language": "fr"})[HEADER] == "hit"
