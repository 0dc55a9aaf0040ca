"""Accessibility of the pages the trust work added or changed (issue 8), in a real browser at a
phone width and a desktop width: axe-core finds nothing serious or critical, and nothing makes
the phone scroll sideways."""

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accelerator.models import Invitation, MemberRole, Membership, Stage
from applications.domain.dossiers import change_state
from applications.models import BlindLeakReport
from tests import factories
from tests.accelerator.test_journey_transitions import make_accompaniment
from tests.accelerator.test_structure_views import _form_data
from tests.applications.full_form import COMPLETE_ANSWERS, FULL_FORM, ensure_wagtail_tree
from tests.applications.jury.helpers import assign, attach, blind_phase, make_juror
from tests.browser.test_csp import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
BLOCKING = {"serious", "critical"}

# The elements that reach past the window, innermost first: the ones that push the page
# sideways rather than their ancestors; an element inside a box that scrolls or clips on its
# own pushes nothing. Read only once the page is found to scroll sideways.
WIDER_THAN_THE_WINDOW = """
() => {
  const width = window.innerWidth;
  const outOfFlow = (style) => style.position === "absolute" || style.position === "fixed";
  const clipped = (element) => {
    // An absolute element escapes the boxes between it and its positioned ancestor.
    let escapes = outOfFlow(getComputedStyle(element));
    for (let box = element.parentElement; box && box !== document.body; box = box.parentElement) {
      const style = getComputedStyle(box);
      const positioned = style.position !== "static";
      if ((!escapes || positioned) && style.overflowX !== "visible") return true;
      if (positioned) escapes = outOfFlow(style);
    }
    return false;
  };
  const wide = [...document.body.querySelectorAll("*")].filter(
    (element) => element.getBoundingClientRect().right > width + 0.5 && !clipped(element)
  );
  const innermost = wide.filter(
    (element) => !wide.some((other) => other !== element && element.contains(other))
  );
  return innermost.slice(0, 5).map((element) => {
    const id = element.id ? `#${element.id}` : "";
    const classes = [...element.classList].map((name) => `.${name}`).join("");
    const right = Math.round(element.getBoundingClientRect().right);
    const text = (element.textContent || "").trim().slice(0, 40);
    return `${element.tagName.toLowerCase()}${id}${classes} (right ${right}px) "${text}"`;
  });
}
"""


class Checks:
    """Runs both checks on each page at both widths and keeps every problem, so that one run
    lists all of them."""

    def __init__(self, page):
        self.page = page
        self.axe = Axe()
        self.problems = []
        self.checked = []

    def check(self, label):
        for size in (PHONE, DESKTOP):
            self.page.set_viewport_size(size)
            where = f"{label} at {size['width']}px"
            self.checked.append(where)
            self._axe(where)
            if size is PHONE:
                self._no_sideways_scroll(where)

    def _axe(self, where):
        results = self.axe.run(self.page)
        for violation in results.response["violations"]:
            if violation["impact"] in BLOCKING:
                targets = [", ".join(map(str, node["target"])) for node in violation["nodes"][:3]]
                self.problems.append(
                    f"{where}: axe {violation['impact']} {violation['id']} "
                    f"({violation['help']}) on {targets}"
                )

    def _no_sideways_scroll(self, where):
        scroll_width, inner_width = self.page.evaluate(
            "[document.documentElement.scrollWidth, window.innerWidth]"
        )
        if scroll_width > inner_width:
            wide = self.page.evaluate(WIDER_THAN_THE_WINDOW)
            self.problems.append(
                f"{where}: scrolls sideways ({scroll_width}px > {inner_width}px), wider: {wide}"
            )

    def assert_clean(self):
        assert self.problems == [], "\n".join(self.problems)


def visit(page, url, status=200):
    response = page.goto(url)
    assert response.status == status, f"{url} answered {response.status}"
    return response


def switch_to(page, live_server, user):
    page.context.clear_cookies()
    log_in(page, live_server, user)


def test_the_blind_review_pages(page, live_server, staff):
    ensure_wagtail_tree()
    call = factories.make_call(form=FULL_FORM)
    structure = factories.StructureFactory(name="Atelier Soleil")
    owner = factories.MembershipFactory(structure=structure, role="owner").user
    dossier = factories.make_dossier(call=call, structure=structure, answers=COMPLETE_ANSWERS)
    attach(dossier)
    change_state(dossier, "submit", owner)
    dossier = change_state(dossier, "mark_eligible", staff)
    juror = make_juror(call)
    assign(juror, dossier, declared="none")
    blind_phase(call)
    BlindLeakReport.objects.create(
        dossier=dossier, juror=juror, text="Le Café des Mûriers, c'est leur lieu."
    )
    checks = Checks(page)

    switch_to(page, live_server, staff)
    visit(page, reverse("applications:staff_blind_preview", args=[dossier.pk]))
    expect(page.get_by_text("Le Café des Mûriers, c'est leur lieu.")).to_be_visible()
    checks.check("staff blind preview")

    switch_to(page, live_server, juror.user)
    visit(page, reverse("applications:juror_dossier", args=[dossier.pk]))
    expect(page.locator('[name="leak-text"]')).to_be_visible()
    checks.check("juror dossier (blind, leak form)")
    checks.assert_clean()


def test_the_error_pages(page, live_server, settings):
    # The error pages are the site's own only with DEBUG off, as the live server runs.
    assert settings.DEBUG is False
    juror = make_juror(factories.make_call())
    dossier = factories.make_dossier(call=juror.call)
    checks = Checks(page)

    visit(page, "/no-such-page/", status=404)
    checks.check("404")

    switch_to(page, live_server, juror.user)
    visit(page, reverse("applications:staff_blind_preview", args=[dossier.pk]), status=403)
    checks.check("403")

    # A form sent without its CSRF cookie: the page of the expired form.
    page.context.clear_cookies()
    visit(page, reverse("account_login"))
    page.context.clear_cookies()
    page.locator('[name="login"]').fill("nobody@example.org")
    page.locator('[name="password"]').fill("wrong password")
    with page.expect_response(lambda response: response.status == 403):
        page.locator('form [type="submit"]').last.click()
    checks.check("CSRF failure")

    # allauth's log-in limit, lowered to one attempt: the second answers 429.
    settings.ACCOUNT_RATE_LIMITS = {"login": "1/m/ip"}
    for status in (200, 429):
        visit(page, reverse("account_login"))
        page.locator('[name="login"]').fill("nobody@example.org")
        page.locator('[name="password"]').fill("wrong password")
        with page.expect_response(lambda response, status=status: response.status == status):
            page.locator('form [type="submit"]').last.click()
    checks.check("429")
    checks.assert_clean()


def test_the_structure_pages(page, live_server):
    loiret = factories.department("45", "Loiret")
    structure = factories.StructureFactory(department=loiret, name="Accompagnée")
    owner = factories.UserFactory(first_name="Clarisse", last_name="Contactée")
    Membership.objects.create(
        structure=structure, user=owner, role=MemberRole.OWNER, is_contact=True
    )
    editor = factories.UserFactory(first_name="Norbert", last_name="Discret")
    Membership.objects.create(
        structure=structure, user=editor, role=MemberRole.EDITOR, is_contact=False
    )
    Invitation.objects.create(
        structure=structure,
        email="invitee@asso.example",
        role=MemberRole.EDITOR,
        invited_by=owner,
        expires_at=timezone.now() + Invitation.VALIDITY,
    )
    accompaniment = make_accompaniment(structure, Stage.SOURCING)
    local = factories.UserFactory()
    factories.SupportPointFactory(department=loiret).members.add(local)
    checks = Checks(page)

    switch_to(page, live_server, owner)
    visit(page, reverse("accelerator:members", args=[structure.pk]))
    expect(page.get_by_text("Norbert").first).to_be_visible()
    checks.check("members (owner)")

    # The SIREN of a registered SIRET: the form names the structure and offers to join it.
    visit(page, reverse("accelerator:structure_create"))
    data = _form_data(siret=structure.siret[:9], name="Copie", annual_budget="185000")
    for name, value in data.items():
        field = page.locator(f'[name="{name}"]')
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(str(value))
        else:
            field.fill(str(value))
    page.locator('form [type="submit"]').last.click()
    expect(page.get_by_role("link", name="Accompagnée").first).to_be_visible()
    checks.check("structure registration (same legal unit)")

    switch_to(page, live_server, local)
    visit(page, reverse("accelerator:structure", args=[structure.pk]))
    checks.check("structure (support point)")
    visit(page, reverse("accelerator:accompaniment", args=[accompaniment.pk]))
    checks.check("accompaniment (support point)")
    checks.assert_clean()


def test_the_dossier_pages(page, live_server):
    ensure_wagtail_tree()
    structure = factories.StructureFactory()
    owner = factories.MembershipFactory(structure=structure, role="owner").user
    dossier = factories.make_dossier(
        call=factories.make_call(form=FULL_FORM), structure=structure, answers=COMPLETE_ANSWERS
    )
    now = timezone.now()
    closed_call = factories.make_call(
        form=FULL_FORM, opens_at=now - timedelta(days=30), closes_at=now - timedelta(hours=1)
    )
    late = factories.make_dossier(call=closed_call, structure=structure, answers=COMPLETE_ANSWERS)
    checks = Checks(page)

    switch_to(page, live_server, owner)
    visit(page, reverse("applications:dossier", args=[dossier.pk]))
    page.locator("#id_q-budget").fill("1" * 40)
    with page.expect_response(lambda response: response.status == 400):
        page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("An amount may not exceed").first).to_be_visible()
    checks.check("dossier form (refused save)")

    visit(page, reverse("applications:dossier", args=[late.pk]))
    expect(page.locator("#call-closed")).to_be_visible()
    checks.check("dossier (call closed)")
    checks.assert_clean()


def test_the_application_form_preview(page, live_server):
    # The preview staff open from the Wagtail editor, opened on its own as the frame shows it.
    ensure_wagtail_tree()
    call = factories.make_call(form=FULL_FORM)
    superuser = factories.UserFactory(is_staff=True, is_superuser=True)
    checks = Checks(page)

    switch_to(page, live_server, superuser)
    visit(page, reverse("wagtailadmin_pages:edit", args=[call.pk]))
    page.get_by_role("button", name="Toggle preview").click()
    frame = page.frame_locator(".w-preview__iframe").last
    expect(frame.get_by_role("heading", name=call.title)).to_be_visible(timeout=20_000)
    page.locator("#id_preview_mode").select_option("form")
    expect(frame.get_by_text("Preview: answers typed here are not saved.")).to_be_visible(
        timeout=20_000
    )
    preview = page.locator(".w-preview__iframe").last.get_attribute("src")
    assert "mode=form" in preview

    visit(page, preview)
    expect(page.get_by_text("Preview: answers typed here are not saved.")).to_be_visible()
    checks.check("application form preview")
    checks.assert_clean()
