"""Issue 14's proof in one real browser session: a programme officer builds a new call in the
Wagtail admin (dates typed the French way, a question shown only on a “yes” picked from lists),
previews the application form, publishes; then an applicant applies and the condition works."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from applications.models import Call, Dossier, DossierState
from tests import factories
from tests.applications.full_form import ensure_wagtail_tree
from tests.browser.test_csp import log_in
from tests.browser.test_form_builder import add_block

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PARIS = ZoneInfo("Europe/Paris")
TITLE = "Tiers-lieux d'été 2027"


def french(moment):
    return moment.astimezone(PARIS).strftime("%d/%m/%Y %H:%M")


def test_an_officer_builds_previews_and_publishes_a_call_then_an_applicant_applies(
    page, live_server
):
    ensure_wagtail_tree()
    index = factories.call_index()
    factories.ProgrammeFactory()  # the only programme: preselected
    officer = factories.UserFactory(is_staff=True, is_superuser=True)
    opens = (timezone.now() - timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    closes = (
        (timezone.now() + timedelta(days=20))
        .astimezone(PARIS)
        .replace(hour=17, minute=0, second=0, microsecond=0)
    )

    # 1. The new call: title, summary, dates typed the French way and said back in words.
    log_in(page, live_server, officer)
    page.goto(reverse("wagtailadmin_pages:add", args=("applications", "call", index.pk)))
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_summary").fill("Un appel pour les tiers-lieux nourriciers de la région.")
    page.locator("#id_opens_at").fill(french(opens))
    page.locator("#id_closes_at").fill(french(closes))
    page.locator("#id_closes_at").blur()
    expect(page.locator("#id_closes_at")).to_have_value(french(closes))
    expect(page.locator("#id_closes_at-echo")).to_contain_text("at 17:00, Paris time")

    # 2. The form: a yes/no question, and a question shown only on “yes”, picked from lists.
    page.get_by_role("tab", name="Application form").click()
    source = add_block(page, "Yes / no", "Avez-vous déjà un local ?")
    target = add_block(page, "Short text", "Adresse du local")
    conditions = page.locator(f'[data-fb-condition="{target}"]')
    conditions.get_by_label("Show this question only if…").select_option(
        label="Avez-vous déjà un local ?"
    )
    conditions.get_by_label("Comparison").select_option("is")
    conditions.get_by_label("Yes", exact=True).check()
    source_id = page.input_value(f'[name="{source}-id"]')

    # 3. The preview of the application form, before anything is published.
    page.get_by_role("button", name="Toggle preview").click()
    frame = page.frame_locator(".w-preview__iframe").last
    expect(frame.get_by_role("heading", name=TITLE)).to_be_visible(timeout=20_000)
    page.locator("#id_preview_mode").select_option("form")
    expect(frame.get_by_text("Preview: answers typed here are not saved.")).to_be_visible(
        timeout=20_000
    )
    address = frame.get_by_label(re.compile("Adresse du local"))
    expect(address).to_be_hidden()
    frame.get_by_role("group", name=re.compile("Avez-vous déjà un local")).get_by_label(
        "Yes"
    ).check()
    expect(address).to_be_visible()
    page.get_by_role("button", name="Toggle preview").click()

    # 4. Publish.
    page.locator(".w-dropdown-button [data-w-dropdown-target=toggle]").last.click()
    page.locator('button[name="action-publish"]').click()
    expect(page.locator(".messages")).to_contain_text("published")
    call = Call.objects.get(title=TITLE)
    assert call.live and call.slug == "tiers-lieux-dete-2027"
    assert call.closes_at == closes and call.opens_at == opens
    assert call.is_open
    condition = call.form.raw_data[1]["value"]
    assert (condition["show_if_question"], condition["show_if_operator"]) == (source_id, "is")
    assert condition["show_if_answers"].strip() == "yes"

    # 5. An applicant applies: the conditional question appears on “yes”.
    page.context.clear_cookies()
    membership = factories.MembershipFactory()
    log_in(page, live_server, membership.user)
    page.goto(call.url)
    page.get_by_role("link", name="Apply").first.click()
    with page.expect_navigation():
        page.get_by_role("button", name="Start the dossier").click()
    dossier = Dossier.objects.get(call=call, structure=membership.structure)
    own_address = page.get_by_label(re.compile("Adresse du local"))
    expect(own_address).to_be_hidden()
    page.get_by_role("group", name=re.compile("Avez-vous déjà un local")).get_by_label(
        "Yes"
    ).check()
    expect(own_address).to_be_visible()
    own_address.fill("12 rue des Halles, Vierzon")
    expect(page.get_by_text("Every required answer is given.")).to_be_visible()
    page.on("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.get_by_role("button", name="Submit the dossier").click()
    expect(page.get_by_text("Your dossier is submitted.")).to_be_visible()

    dossier.refresh_from_db()
    assert dossier.state == DossierState.SUBMITTED
    address_id = call.form.raw_data[1]["id"]
    assert dossier.answers == {source_id: "yes", address_id: "12 rue des Halles, Vierzon"}
