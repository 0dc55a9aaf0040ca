"""The public site in French and English (issue 13, point 3): French at /, English under /en/,
pages translated in the Wagtail admin with wagtail-localize, a language switch on every page that
leads to the page's translation or to its address in the other language, and the application's
pages, which have one address, in the language the person chose."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale, Page

from applications.models import Call
from cms.domain.site_languages import address_in, is_public_site_path
from cms.models import HomePage
from tests import factories

pytestmark = pytest.mark.django_db

SWITCH = re.compile(r'<a href="([^"]+)" class="lang-switch" lang="(\w+)"')


@pytest.fixture(autouse=True)
def _french_first(settings):
    # As in production: French is the default language, at addresses without a prefix.
    settings.LANGUAGE_CODE = "fr"


def switches(response):
    return {
        code: url.replace("&amp;", "&") for url, code in SWITCH.findall(response.content.decode())
    }


def test_french_at_the_root_english_under_en_for_the_same_page(client):
    call = factories.make_call()
    url = call.url
    french = client.get(url)
    english = client.get(f"/en{url}")
    assert french.status_code == english.status_code == 200
    assert '<html lang="fr">' in french.content.decode()
    assert '<html lang="en">' in english.content.decode()
    # The call is one page in both languages: its texts as written, the interface translated.
    assert call.title in english.content.decode()
    assert "Appels" in french.content.decode() and "Calls" in english.content.decode()


def test_the_switch_leads_to_the_other_language_and_keeps_the_choice(client):
    url = factories.make_call().url  # read before a request leaves its language active
    switch = switches(client.get(url))
    assert set(switch) == {"en"}
    response = client.get(switch["en"])
    assert response.status_code == 302 and response["Location"] == f"/en{url}"
    assert response.cookies["django_language"].value == "en"
    # The application's pages, at one address, now speak English to this person.
    assert client.get(reverse("account_login")).content.decode().count('<html lang="en">') == 1
    back = switches(client.get(f"/en{url}"))
    assert set(back) == {"fr"}
    response = client.get(back["fr"])
    assert response["Location"] == url
    assert response.cookies["django_language"].value == "fr"


def test_links_drawn_in_english_lead_to_english_addresses(client):
    call = factories.make_call()
    url, index = call.url, call.get_parent().url
    page = client.get("/en/").content.decode() + client.get(f"/en{index}").content.decode()
    assert f'href="/en{url}"' in page


def test_a_translated_page_is_shown_in_its_language_and_the_switch_finds_it(client):
    factories.make_call()  # the site's tree: home, calls' index and a call
    home = HomePage.objects.get()
    english = Locale.objects.get(language_code="en")
    translation = home.copy_for_translation(english)
    translation.title = "Welcome"
    translation.hero_heading = "An accelerator for social innovation"
    translation.save_revision().publish()

    assert "An accelerator for social innovation" in client.get("/en/").content.decode()
    assert "An accelerator for social innovation" not in client.get("/").content.decode()
    assert switches(client.get("/"))["en"].endswith("?next=%2Fen%2F")
    # Its children not translated yet are still found under the English address.
    url = Call.objects.get().url
    assert client.get(f"/en{url}").status_code == 200


def test_a_call_is_never_copied_per_language():
    call = factories.make_call()
    with translation.override("en"), pytest.raises(PermissionDenied, match="not translated"):
        call.copy_for_translation(Locale.objects.get(language_code="en"))
    assert Page.objects.filter(translation_key=call.translation_key).count() == 1


def test_the_switch_refuses_another_site_and_an_unknown_language(client):
    response = client.get(
        reverse("cms:switch_language", args=["en"]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == "/en/"
    assert client.get("/language/de/").status_code == 404


@pytest.mark.parametrize(
    ("url", "language", "expected"),
    [
        ("/agenda/?department=18", "en", "/en/agenda/?department=18"),
        ("/en/agenda/", "fr", "/agenda/"),
        ("/dossiers/1/", "en", "/dossiers/1/"),
        ("/staff/", "en", "/staff/"),
        ("/", "en", "/en/"),
    ],
)
def test_addresses_in_each_language(url, language, expected):
    assert address_in(url, language) == expected


def test_only_the_public_site_has_addresses_per_language():
    assert is_public_site_path("/agenda/") and is_public_site_path("/en/actors/")
    assert not is_public_site_path("/dossiers/1/") and not is_public_site_path("/admin/")


def test_staff_translate_a_page_in_the_admin_but_not_a_call(client):
    call = factories.make_call()
    home = HomePage.objects.get()
    client.force_login(factories.UserFactory(is_superuser=True, is_staff=True))
    submit = reverse("wagtail_localize:submit_page_translation", args=[home.pk])
    assert client.get(submit).status_code == 200
    response = client.post(submit, {"locales": [Locale.objects.get(language_code="en").pk]})
    assert response.status_code == 302
    english = HomePage.objects.get(locale__language_code="en")
    assert english.translation_key == home.translation_key
    # The explorer offers to translate the home page, never a call.
    explorer = client.get(reverse("wagtailadmin_explore", args=[call.get_parent().pk]))
    assert reverse("wagtail_localize:submit_page_translation", args=[call.pk]) not in (
        explorer.content.decode()
    )
