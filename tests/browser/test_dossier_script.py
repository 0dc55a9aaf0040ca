"""The dossier page's script in a real browser: conditions, counters, partners, autosave, the copy
kept in the browser when the session expires, and a colleague's newer save."""

import re
from importlib import import_module

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from applications.domain.drafting import save_answers
from applications.models import Dossier
from tests import factories
from tests.applications.full_form import COMPLETE_ANSWERS, FULL_FORM, ensure_wagtail_tree

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def wait_saved(page):
    # Locator assertions, not wait_for_function: the Content-Security-Policy forbids eval.
    expect(page.locator("#save-status")).to_have_text(re.compile(r"^Saved at"), timeout=15_000)


def wait_status(page, words):
    expect(page.locator("#save-status")).to_contain_text(words, timeout=15_000)


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
    wait_saved(page)
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
    wait_status(page, "session has expired")
    log_in(page, live_server, owner)
    page.reload()
    wait_saved(page)
    assert page.input_value("#id_q-desc") == "Texte tapé sans session"
    dossier.refresh_from_db()
    assert dossier.answers["q-desc"] == "Texte tapé sans session"

    # A colleague saves meanwhile: the next autosave is refused, naming her, never overwriting.
    fresh = Dossier.objects.get(pk=dossier.pk)
    save_answers(fresh, {**fresh.answers, "q-name": "Par Marie"}, colleague, fresh.revision)
    page.fill("#id_q-name", "Mon texte")
    wait_status(page, "Marie Dupont saved a newer version")
    dossier.refresh_from_db()
    assert dossier.answers["q-name"] == "Par Marie"
    assert page.input_value("#id_q-name") == "Mon texte"


def end_browser_session(browser_page):
    """Expire the browser's session in whatever store the settings use (database or cache)."""
    engine = import_module(settings.SESSION_ENGINE)
    for cookie in browser_page.context.cookies():
        if cookie["name"] == settings.SESSION_COOKIE_NAME:
            engine.SessionStore(session_key=cookie["value"]).delete()


def test_what_the_server_would_refuse_stays_in_the_browser_with_the_reason(page, live_server):
    ensure_wagtail_tree()
    structure = factories.StructureFactory()
    owner = factories.MembershipFactory(structure=structure, role="owner").user
    call = factories.make_call(form=FULL_FORM)
    dossier = factories.make_dossier(call=call, structure=structure, answers=dict(COMPLETE_ANSWERS))
    log_in(page, live_server, owner)
    page.goto(reverse("applications:dossier", args=[dossier.pk]))

    # Ten words at most, so 1,000 characters at most: the page says so and posts nothing.
    page.fill("#id_q-desc", "x" * 1200)
    wait_status(page, "is too long")
    page.click(".dossier-actions button[value=save]")
    assert page.url.endswith(reverse("applications:dossier", args=[dossier.pk]))
    assert "is too long" in page.text_content("#save-status")
    dossier.refresh_from_db()
    assert dossier.revision == 0

    # A reload puts the unsaved text back, with a notice that stays.
    page.reload()
    page.wait_for_selector("[data-restored-notice]")
    assert page.input_value("#id_q-desc") == "x" * 1200

    # Shortened, it saves; an amount the server refuses is shown next to its field, kept there.
    page.fill("#id_q-desc", "Un texte court.")
    page.fill("#id_q-budget", "1e999")
    wait_status(page, "except the answers marked in red")
    assert "may not exceed" in page.text_content("#question-q-budget [data-refused]")
    assert page.input_value("#id_q-budget") == "1e999"
    dossier.refresh_from_db()
    assert dossier.answers["q-desc"] == "Un texte court."
    assert dossier.answers["q-budget"] == "12500.00"


def item_choices(*labels):
    return [{"type": "item", "value": label, "id": f"c-{label.lower()}"} for label in labels]


def conditional_question(block_id, label, source, operator, answers):
    value = {
        "label": label,
        "help_text": "",
        "required": True,
        "show_if_question": source,
        "show_if_operator": operator,
        "show_if_answers": "\n".join(answers),
    }
    return {"type": "short_text", "value": value, "id": block_id}


OPERATORS_FORM = [
    {
        "type": "multiple_choice",
        "value": {
            "label": "Themes",
            "required": True,
            "choices": item_choices("Food", "Mobility", "Housing"),
        },
        "id": "q-themes",
    },
    conditional_question("q-why", "Why these?", "q-themes", "is_one_of", ["c-food", "c-housing"]),
    {
        "type": "single_choice",
        "value": {"label": "Place", "required": True, "choices": item_choices("Rural", "Urban")},
        "id": "q-place",
    },
    conditional_question("q-city", "Which city?", "q-place", "is_not", ["c-rural"]),
    {"type": "number", "value": {"label": "People", "required": False}, "id": "q-people"},
]


def test_conditions_with_an_operator_and_several_answers_and_the_lists_to_fill_and_correct(
    page, live_server
):
    ensure_wagtail_tree()
    structure = factories.StructureFactory()
    owner = factories.MembershipFactory(structure=structure, role="owner").user
    call = factories.make_call(form=OPERATORS_FORM)
    dossier = factories.make_dossier(call=call, structure=structure, answers={})
    log_in(page, live_server, owner)
    page.goto(reverse("applications:dossier", args=[dossier.pk]))

    why, city = page.locator("#question-q-why"), page.locator("#question-q-city")
    # Nothing answered yet: "is not" shows nothing either.
    expect(why).to_be_hidden()
    expect(city).to_be_hidden()
    page.get_by_label("Mobility").check()
    expect(why).to_be_hidden()
    page.get_by_label("Housing").check()
    expect(why).to_be_visible()
    page.get_by_label("Urban").check()
    expect(city).to_be_visible()
    page.get_by_label("Rural").check()
    expect(city).to_be_hidden()

    # A number typed that is no number is listed to correct, apart from what is to fill in.
    page.fill("#id_q-people", "douze")
    wait_saved(page)
    missing = page.locator("[data-completeness-missing]")
    expect(missing).to_contain_text("To fill in (1):")
    expect(missing).to_contain_text("Why these?")
    expect(missing).to_contain_text("To correct (1):")
    expect(missing).to_contain_text("People")
    dossier.refresh_from_db()
    assert dossier.answers["q-themes"] == ["c-mobility", "c-housing"]
    assert dossier.answers["q-place"] == "c-rural"
