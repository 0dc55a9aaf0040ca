"""Error pages as production shows them (DEBUG off): in the site's layout, French by default,
English on request, with a way back; 503 rather than 500 while a dependency is down."""

import pytest
from django.db import OperationalError, connection
from django.test import Client, override_settings
from django.urls import reverse

from tests import factories

LAYOUT = ('class="site-header"', "/static/css/essor.css", "/static/css/errors.css")


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False
    settings.ESSOR_CONTACT_EMAIL = "programme@example.org"


@pytest.fixture
def french(settings):
    settings.LANGUAGE_CODE = "fr"


def _page(response):
    page = response.content.decode()
    for mark in LAYOUT:
        assert mark in page
    assert 'href="/"' in page
    assert "mailto:programme@example.org" in page
    return page


def _refuse_queries(error):
    def refuse(execute, sql, params, many, context):
        raise error

    return refuse


# --- 404 ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_missing_page_is_a_french_page_in_the_site_layout(client, french):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    page = _page(response)
    assert 'lang="fr"' in page
    assert "Cette page n'existe pas" in page
    assert "Page d'accueil" in page


@pytest.mark.django_db
def test_a_missing_page_is_english_when_the_browser_asks_for_it(client, french):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 404
    page = _page(response)
    assert 'lang="en"' in page
    assert "This page does not exist" in page


@pytest.mark.django_db
def test_a_missing_page_is_english_when_the_language_cookie_says_so(client, french, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get("/no-such-page/")

    assert "This page does not exist" in _page(response)


@pytest.mark.django_db
def test_the_previous_page_is_offered_only_when_it_is_on_this_site(client):
    inside = client.get("/no-such-page/", HTTP_REFERER="http://testserver/appels/")
    outside = client.get("/no-such-page/", HTTP_REFERER="https://elsewhere.example/x")

    assert 'href="http://testserver/appels/"' in _page(inside)
    assert "Previous page" in inside.content.decode()
    assert "elsewhere.example" not in _page(outside)
    assert "Previous page" not in outside.content.decode()


# --- 403 and 400 -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_refused_page_is_a_french_page_in_the_site_layout(client, french, structure, viewer):
    client.force_login(viewer)

    response = client.get(reverse("accelerator:structure_edit", args=[structure.pk]))

    assert response.status_code == 403
    page = _page(response)
    assert "Vous ne pouvez pas ouvrir cette page" in page
    assert reverse("accelerator:home") in page  # "My space", for someone logged in


@pytest.mark.django_db
def test_a_refused_page_is_english_on_request(client, structure, viewer):
    client.force_login(viewer)

    response = client.get(
        reverse("accelerator:structure_edit", args=[structure.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 403
    assert "You may not open this page" in _page(response)


@pytest.mark.django_db
def test_a_bad_request_is_a_french_page_in_the_site_layout(client, french):
    response = client.get("/", HTTP_HOST="not-our-host.example")

    assert response.status_code == 400
    assert "Votre navigateur a envoyé une demande" in _page(response)


@pytest.mark.django_db
def test_a_bad_request_is_english_on_request(client):
    response = client.get("/", HTTP_HOST="not-our-host.example", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert "Your browser sent a request this site could not understand" in _page(response)


# --- expired form (CSRF) -----------------------------------------------------------------------


@pytest.mark.django_db
def test_an_expired_form_explains_how_to_recover_what_was_typed(french):
    browser = Client(enforce_csrf_checks=True)
    browser.get(reverse("account_login"))  # the CSRF cookie is set, the token is stale

    response = browser.post(
        reverse("account_login"),
        {"login": "camille@example.org", "password": "x", "csrfmiddlewaretoken": "stale" * 8},
    )

    assert response.status_code == 403
    page = _page(response)
    assert "Cette page a expiré" in page
    assert "bouton « Précédent »" in page
    assert "Le formulaire de dossier garde en plus une copie" in page
    assert "cookies" not in page


@pytest.mark.django_db
def test_an_expired_form_without_cookie_mentions_cookies_in_english_on_request(french):
    browser = Client(enforce_csrf_checks=True)

    response = browser.post(reverse("account_login"), {}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 403
    page = _page(response)
    assert "This page has expired" in page
    assert "back button" in page
    assert "accepts cookies" in page


# --- 500 and 503 -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_bug_shows_the_500_page_without_touching_the_database(client, french):
    client.raise_request_exception = False

    # Every query fails, the page's own rendering included: it must not need one.
    with connection.execute_wrapper(_refuse_queries(RuntimeError("a bug"))):
        response = client.get("/")

    assert response.status_code == 500
    page = _page(response)
    assert 'lang="fr"' in page
    assert "Une erreur est survenue de notre côté" in page
    assert "Mon espace" not in page  # no user is read


@pytest.mark.django_db
def test_the_500_page_is_english_on_request(client):
    client.raise_request_exception = False

    with connection.execute_wrapper(_refuse_queries(RuntimeError("a bug"))):
        response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 500
    assert "Something went wrong on our side" in _page(response)


@pytest.mark.django_db
def test_a_database_outage_shows_the_503_page(client, french):
    client.raise_request_exception = False

    with connection.execute_wrapper(_refuse_queries(OperationalError("connection refused"))):
        response = client.get("/")

    assert response.status_code == 503
    assert response["Retry-After"] == "120"
    page = _page(response)
    assert "Le service est momentanément indisponible" in page
    assert "n'est pas perdu" in page


@pytest.mark.django_db
def test_a_database_outage_in_english(client):
    client.raise_request_exception = False

    with connection.execute_wrapper(_refuse_queries(OperationalError("connection refused"))):
        response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 503
    page = _page(response)
    assert "The service is temporarily unavailable" in page
    assert "what you typed was not lost" in page


REDIS_DOWN = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        # Nothing listens on port 1: every cache call fails at once.
        "LOCATION": "redis://127.0.0.1:1/0",
    }
}


@pytest.mark.django_db
def test_a_redis_outage_at_log_in_shows_the_503_page(client, french):
    """allauth counts log-ins in the cache: with Redis down, a 503 rather than a 500."""
    client.raise_request_exception = False

    with override_settings(CACHES=REDIS_DOWN):
        response = client.post(
            reverse("account_login"), {"login": "camille@example.org", "password": "secret"}
        )

    assert response.status_code == 503
    assert response["Retry-After"] == "120"
    assert "Le service est momentanément indisponible" in _page(response)


@pytest.mark.django_db
def test_an_unexpected_error_of_a_logged_in_person_is_still_a_500(client):
    """Only outages get the 503: a bug keeps its 500, so it is reported and fixed."""
    client.force_login(factories.UserFactory())
    client.raise_request_exception = False

    with connection.execute_wrapper(_refuse_queries(ValueError("a bug"))):
        response = client.get(reverse("accelerator:home"))

    assert response.status_code == 500
    assert "Something went wrong on our side" in _page(response)
