"""The call's form builder in a real browser: a display condition picked from lists (the earlier
question by its label, the comparison, the answer) is saved as the block id, the operator and the
answer's key; the preview of the form shows the conditional question as an applicant would."""

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from applications.models import Call
from tests import factories
from tests.applications.full_form import ensure_wagtail_tree
from tests.applications.test_form_changes import LIVE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def log_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def add_block(page, kind, label):
    """Add a block of `kind` at the end of the form and give it `label`; its prefix."""
    count = int(page.input_value("[name=form-count]"))
    page.locator('button[title="Insert a block"][aria-expanded]').last.click()
    page.get_by_text(kind, exact=True).last.click()
    expect(page.locator("[name=form-count]")).to_have_value(str(count + 1))
    prefix = f"form-{count}"
    page.fill(f'[name="{prefix}-value-label"]', label)
    return prefix


def test_a_condition_picked_from_lists_is_saved_and_works_in_the_preview(page, live_server):
    ensure_wagtail_tree()
    staff = factories.StaffFactory(is_superuser=True)
    call = factories.make_call(form=LIVE)
    log_in(page, live_server, staff)
    page.goto(f"/admin/pages/{call.pk}/edit/")
    page.get_by_role("tab", name="Application form").click()

    source = add_block(page, "Yes / no", "Avez-vous un local ?")
    target = add_block(page, "Short text", "Adresse du local")
    source_id = page.input_value(f'[name="{source}-id"]')

    # The typed fields are hidden; the lists offer the earlier choice and yes/no questions.
    expect(page.locator(f'[name="{target}-value-show_if_question"]')).to_be_hidden()
    lists = page.locator(f'[data-fb-condition="{target}"]')
    picker = lists.get_by_label("Show this question only if…")
    expect(picker.locator("option")).to_have_text(
        ["Always show this question", "Lieu", "Avez-vous un local ?"]
    )
    picker.select_option(label="Avez-vous un local ?")
    lists.get_by_label("Comparison").select_option("is")
    lists.get_by_label("Yes", exact=True).check()
    assert page.input_value(f'[name="{target}-value-show_if_question"]') == source_id

    # A renamed question is renamed in the list at once.
    page.fill(f'[name="{source}-value-label"]', "Disposez-vous d'un local ?")
    expect(picker.locator("option:checked")).to_have_text("Disposez-vous d'un local ?")

    page.locator(".w-dropdown-button [data-w-dropdown-target=toggle]").last.click()
    page.locator('button[name="action-publish"]').click()
    expect(page.locator(".messages")).to_contain_text("published")

    stored = Call.objects.get(pk=call.pk).form.raw_data[-1]
    assert stored["type"] == "short_text"
    assert stored["value"]["show_if_question"] == source_id
    assert stored["value"]["show_if_operator"] == "is"
    assert stored["value"]["show_if_answers"].strip() == "yes"

    # Wagtail's preview panel posts the form; its "Application form" mode shows it in a frame.
    page.goto(f"/admin/pages/{call.pk}/edit/")
    page.get_by_role("button", name="Toggle preview").click()
    # The panel opens on the public page; the mode is changed once that has loaded.
    frame = page.frame_locator(".w-preview__iframe").last
    expect(frame.get_by_role("heading", name=call.title)).to_be_visible(timeout=20_000)
    page.locator("#id_preview_mode").select_option("form")
    expect(frame.get_by_text("Preview: answers typed here are not saved.")).to_be_visible(
        timeout=20_000
    )
    address = frame.get_by_label("Adresse du local")
    expect(address).to_be_hidden()
    frame.get_by_role("group", name=re.compile("Disposez-vous")).get_by_label("Yes").check()
    expect(address).to_be_visible()
    frame.get_by_role("group", name=re.compile("Disposez-vous")).get_by_label("No").check()
    expect(address).to_be_hidden()
