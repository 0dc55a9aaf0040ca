"""The dossier page's script in a real browser: conditions, counters, partners, autosave, the copy
kept in the browser when the session expires, and a colleague's newer save."""

from importlib import import_module

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from applications.domain.drafting import save_answers
from applications.models import Dossier
from tests import factories
from tests.applications.full_form import COMPLETE_ANSWERS, FULL_FORM, ensure_wagtail_tree

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SAVED = "document.getElementById('save-status').textContent.startsWith('Saved at')"


def status_has(words):
    return f"document.getElementById('save-status').textContent.includes({words!r})"


def log_in(page, live_server, user):  # noqa: F811
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def test_the_dossier_form_saves_while_typing_and_loses_nothing(page, live_server):  # noqa: F811
    ensure_wagtail_tree()
    structure = factories.StructureFactory()
    owner = factories.MembershipFactory(structure=structure, role="owner").user
    colleague = factories.MembershipFactory(structure=structure, role="editor").user
    colleague.first_name, colleague.last_name = "Marie", "Dupont"
    colleague.save()
    call = factories.make_call(form=FULL_FORM)
    dossier = factories.make_dossier(call=call, structure=structure, answers=dict(COMPLETE_ANSWERS))
    log_in(page, live_server, owner)
    page.goto(reverse("applications:dossier", args=[dossier.pk]))

    # A conditional question appears with the answer it depends on.
    assert page.locator("#question-q-funder").is_hidden()
    page.locator("#id_q-funded_0").check()
    assert page.locator("#question-q-funder").is_visible()

    # Typing saves after a pause; the counter follows.
    page.fill("#id_q-name", "Nouveau nom du projet")
    page.wait_for_function(SAVED)
    dossier.refresh_from_db()
    assert dossier.answers["q-name"] == "Nouveau nom du projet"
    assert dossier.answers["q-funded"] == "yes"
    assert page.locator("[data-counter-for=id_q-name]").text_content().startswith("21 / 40")
    assert "Which funder?" in page.locator("[data-completeness-missing]").text_content()

    # Partners: a row is added and removed in the page.
    page.click("[data-partner-add]")
    assert page.locator("[data-partner-rows] tr").count() == 3
    page.locator("[data-partner-remove]").last.click()
    assert page.locator("[data-partner-rows] tr").count() == 2

    # The session expires: the text stays in the browser and comes back on the next visit.
    end_browser_session(page)
    page.fill("#id_q-desc", "Texte tapé sans session")
    page.wait_for_function(status_has("session has expired"))
    log_in(page, live_server, owner)
    page.reload()
    page.wait_for_function(SAVED)
    assert page.input_value("#id_q-desc") == "Texte tapé sans session"
    dossier.refresh_from_db()
    assert dossier.answers["q-desc"] == "Texte tapé sans session"

    # A colleague saves meanwhile: the next autosave is refused, naming her, never overwriting.
    fresh = Dossier.objects.get(pk=dossier.pk)
    save_answers(fresh, {**fresh.answers, "q-name": "Par Marie"}, colleague, fresh.revision)
    page.fill("#id_q-name", "Mon texte")
    page.wait_for_function(status_has("Marie Dupont saved a newer version"))
    dossier.refresh_from_db()
    assert dossier.answers["q-name"] == "Par Marie"
    assert page.input_value("#id_q-name") == "Mon texte"


def end_browser_session(browser_page):
    """Expire the browser's session in whatever store the settings use (database or cache)."""
    engine = import_module(settings.SESSION_ENGINE)
    for cookie in browser_page.context.cookies():
        if cookie["name"] == settings.SESSION_COOKIE_NAME:
            engine.SessionStore(session_key=cookie["value"]).delete()
