"""The Content-Security-Policy in a real browser: the Wagtail admin, the Django admin and the
applicant's dossier form work under it, and no page reports a violation or a console error."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from accelerator.models import Accompaniment, Cohort
from tests import factories
from tests.applications.full_form import COMPLETE_ANSWERS, FULL_FORM, ensure_wagtail_tree
from workers.models import OutboxMessage

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SAVED = re.compile(r"^Saved at")

# Registered before any script of the page runs: violations are kept in the window, to be read
# once the page has settled.
WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} at ${where}`
  );
});
"""


class Watch:
    """Console errors, uncaught page errors and CSP violations of every page a tab opens."""

    def __init__(self, page):
        self.page = page
        self.errors = []
        page.add_init_script(WATCH_VIOLATIONS)
        page.on("console", self.on_console)
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))

    def on_console(self, message):
        url = message.location.get("url", "")
        # The browser asks for /favicon.ico on its own; the site has none: not the page's error.
        if message.type == "error" and not url.endswith("/favicon.ico"):
            self.errors.append(f"console: {message.text} ({url})")

    def visit(self, url):
        response = self.page.goto(url)
        assert response.ok, f"{url} answered {response.status}"
        self.settle()
        return response

    def settle(self):
        self.page.wait_for_load_state("networkidle")
        self.errors += self.page.evaluate("window.__cspViolations || []")
        self.page.evaluate("window.__cspViolations = []")

    def assert_clean(self):
        assert self.errors == []


def log_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def test_the_wagtail_admin_works_under_its_policy(page, live_server):
    ensure_wagtail_tree()
    call = factories.make_call(title="Tiers-lieux nourriciers 2026")
    superuser = factories.UserFactory(is_staff=True, is_superuser=True)
    log_in(page, live_server, superuser)
    watch = Watch(page)

    response = watch.visit("/admin/")
    assert "'unsafe-inline'" in response.headers["content-security-policy"]
    page.locator(".w-summary").first.wait_for()
    watch.visit(f"/admin/pages/{call.get_parent().pk}/")
    page.get_by_role("link", name="Tiers-lieux nourriciers 2026").first.wait_for()

    # The page editor draws its form, its StreamField and its inline panels with scripts.
    watch.visit(f"/admin/pages/{call.pk}/edit/")
    page.locator("[data-streamfield-stream-container]").first.wait_for()
    assert page.locator("[data-streamfield-child]").count() >= 1
    # The evaluation criteria's inline panel: its script numbers and orders the forms.
    assert page.locator("#id_criteria-FORMS > [data-inline-panel-child]").count() == 2
    page.locator("#id_title").fill("Tiers-lieux nourriciers 2027")
    watch.settle()
    watch.assert_clean()


def test_the_django_admin_lists_the_outbox_under_the_site_policy(page, live_server):
    OutboxMessage.objects.create(
        key="csp-test",
        to="claire.morel@example.org",
        language="fr",
        subject="Votre dossier",
        body_text="Bonjour",
    )
    log_in(page, live_server, factories.UserFactory(is_staff=True, is_superuser=True))
    watch = Watch(page)

    response = watch.visit("/django-admin/workers/outboxmessage/")
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    page.get_by_text("Votre dossier").first.wait_for()
    watch.assert_clean()


def test_the_dossier_form_saves_under_the_site_policy(page, live_server):
    ensure_wagtail_tree()
    structure = factories.StructureFactory()
    owner = factories.MembershipFactory(structure=structure, role="owner").user
    call = factories.make_call(form=FULL_FORM)
    dossier = factories.make_dossier(call=call, structure=structure, answers=dict(COMPLETE_ANSWERS))
    log_in(page, live_server, owner)
    watch = Watch(page)

    # allauth's pages load their own script files (the e-mail page does).
    watch.visit(reverse("account_email"))
    response = watch.visit(reverse("applications:dossier", args=[dossier.pk]))
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    page.fill("#id_q-name", "Nouveau nom du projet")
    # A locator, not wait_for_function: the policy refuses the eval that the latter runs.
    expect(page.locator("#save-status")).to_have_text(SAVED, timeout=15_000)
    dossier.refresh_from_db()
    assert dossier.answers["q-name"] == "Nouveau nom du projet"
    watch.settle()
    watch.assert_clean()


def test_the_cohort_board_keeps_its_stage_colours_without_style_attributes(page, live_server):
    cohort = Cohort.objects.create(
        programme=factories.ProgrammeFactory(), name="Cohorte 2026", year=2026, capacity=20
    )
    Accompaniment.objects.create(
        cohort=cohort, structure=factories.StructureFactory(), source="call"
    )
    log_in(page, live_server, factories.ManagerFactory())
    watch = Watch(page)

    watch.visit(reverse("accelerator:cohort_board", args=[cohort.pk]))
    # The colours come from the stylesheet now, the same as the chart's (STAGE_COLOURS).
    column = page.locator('.board-column[data-stage="sourcing"]')
    assert column.evaluate("e => getComputedStyle(e).borderTopColor") == "rgb(140, 150, 168)"
    swatch = page.locator(".progress-legend__swatch.stage-colour--sourcing")
    assert swatch.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(140, 150, 168)"
    watch.assert_clean()
