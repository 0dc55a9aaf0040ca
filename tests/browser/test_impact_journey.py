"""Issue 10's proof in one real browser session: a structure's editor fills its final impact
report, is refused in place on values that are not numbers (the error summary focused, with a
link to each field, and what was typed kept), enters French figures and submits; its référent
sends the report back with a comment; the editor corrects a figure and submits again; the
référent validates it; the structure's impact page charts the new figure with its table, in
French; the référent then moves the structure to alumni. Every page of the way is checked with
axe-core at a phone width and a desktop width. One session rather than several: each browser
test costs the suite a live server and a database restore."""

import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from accelerator.models import (
    Accompaniment,
    AccompanimentTransition,
    ImpactReport,
    ReportingSchedule,
    ReportState,
    ReportValue,
    Stage,
)
from tests.accelerator.cohorts import make_cohort
from tests.accelerator.impact.world import agreed_plan, first_report, in_impact_measurement
from tests.browser.test_accessibility import Checks, switch_to, visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

JOBS, PEOPLE = "Emplois créés", "Personnes touchées"  # names of the seeded indicators
SEND_BACK = "Le chiffre des personnes touchées compte deux fois l'atelier de mars."
NARRATIVE = "Deux embauches en insertion et un atelier de réparation ouvert chaque samedi."


def plain(text):
    """`text` with its non-breaking and narrow spaces as plain ones, runs of spaces made one."""
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def in_french(page, live_server):
    """The site in French for this browser until its cookies are cleared: the language cookie
    is read before the browser's Accept-Language (which its locale fixes)."""
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "fr", "url": live_server.url}]
    )


def figure(report, code):
    return ReportValue.objects.get(report=report, indicator__code=code).value


def test_a_structure_reports_its_impact_is_sent_back_corrects_and_becomes_alumni(page, live_server):
    cohort = make_cohort()
    ReportingSchedule.objects.create(cohort=cohort, reports=1, last_is_final=True)
    accompaniment = in_impact_measurement(cohort)
    agreed_plan(accompaniment)
    editor, referent = accompaniment.editor, accompaniment.referent
    structure = accompaniment.structure
    report = first_report(accompaniment)
    assert (report.is_final, report.state) == (True, ReportState.DUE)
    impact_url = reverse("accelerator:impact", args=[accompaniment.pk])
    report_url = reverse("accelerator:impact_report", args=[report.pk])
    checks = Checks(page)

    # 1. The editor opens the structure's impact page, then its report.
    switch_to(page, live_server, editor)
    visit(page, impact_url)
    expect(page.get_by_role("heading", level=1)).to_contain_text(structure.name)
    checks.check("impact page (structure)")
    with page.expect_navigation():
        page.locator(f'tr[data-report="{report.pk}"]').get_by_role("link").click()
    assert page.url.endswith(report_url)
    jobs = page.get_by_role("group", name=re.compile(JOBS)).get_by_label("Value for this period")
    people = page.get_by_role("group", name=re.compile(PEOPLE)).get_by_label(
        "Value for this period"
    )

    # 2. Values that are not numbers of the indicator's unit: refused in place, the summary
    # focused with a link to each field, and what was typed kept.
    jobs.fill("12,5 t")
    people.fill("beaucoup")
    page.get_by_role("button", name="Submit", exact=True).click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile("^Error: "))
    for field, name in ((jobs, JOBS), (people, PEOPLE)):
        link = summary.get_by_role("link", name=re.compile(name))
        expect(link).to_have_attribute("href", f"#{field.get_attribute('id')}")
    expect(jobs).to_have_value("12,5 t")
    expect(people).to_have_value("beaucoup")
    assert ImpactReport.objects.get(pk=report.pk).state == ReportState.DUE
    checks.check("report with its error summary (structure)")

    # French figures, a narrative, and the report is submitted.
    jobs.fill("3,5")
    people.fill("1 250")
    page.get_by_label("Narrative").fill(NARRATIVE)
    page.get_by_role("button", name="Submit", exact=True).click()
    expect(page.get_by_text("Your report is submitted")).to_be_visible()
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED and report.narrative == NARRATIVE
    assert (figure(report, "jobs-fte"), figure(report, "people-reached")) == (
        Decimal("3.5"),
        Decimal("1250"),
    )

    # 3. The référent reads it and sends it back with a comment.
    switch_to(page, live_server, referent)
    visit(page, report_url)
    review = page.locator("#review")
    expect(review).to_be_visible()
    checks.check("report (référent)")
    review.get_by_label("Comment for the structure").fill(SEND_BACK)
    review.get_by_role("button", name="Send back").click()
    expect(page.get_by_text("The report is sent back to the structure")).to_be_visible()
    assert ImpactReport.objects.get(pk=report.pk).state == ReportState.CHANGES_REQUESTED

    # 4. The editor reads the comment, corrects the figure and submits again.
    switch_to(page, live_server, editor)
    visit(page, report_url)
    expect(page.locator("#send-back")).to_contain_text(SEND_BACK)
    expect(people).to_have_value(re.compile(r"^1\D?250$"))
    people.fill("1 300")
    page.get_by_role("button", name="Submit", exact=True).click()
    expect(page.get_by_text("Your report is submitted")).to_be_visible()
    assert ImpactReport.objects.get(pk=report.pk).state == ReportState.SUBMITTED

    # 5. The référent validates it; the cohort's and the programme's dashboards and the
    # reporting schedule count it.
    switch_to(page, live_server, referent)
    visit(page, report_url)
    page.locator("#review").get_by_role("button", name="Validate").click()
    expect(page.get_by_text("The report is validated")).to_be_visible()
    report.refresh_from_db()
    assert report.state == ReportState.VALIDATED
    assert figure(report, "people-reached") == Decimal("1300")
    visit(page, reverse("accelerator:cohort_impact", args=[cohort.pk]))
    total = page.locator('tr[data-indicator="people-reached"] [data-figure="value"]')
    expect(total).to_contain_text(re.compile(r"1\D?300"))
    checks.check("cohort impact dashboard")
    visit(page, reverse("accelerator:programme_impact", args=[cohort.programme_id]))
    checks.check("programme impact page")
    visit(page, reverse("accelerator:cohort_reporting_schedule", args=[cohort.pk]))
    checks.check("reporting schedule")

    # 6. The structure's impact page, in French: the chart has a point for the validated
    # figure and its table the figure, written the French way.
    switch_to(page, live_server, editor)
    in_french(page, live_server)
    visit(page, impact_url)
    chart = page.locator('article[data-indicator="people-reached"]')
    expect(chart.locator('svg[role="img"] [data-mark="reported"]')).to_have_count(1)
    expect(chart.locator('svg[role="img"] [data-mark="baseline"]')).to_have_count(1)
    expect(chart.locator('svg[role="img"] [data-mark="target"]')).to_have_count(1)
    cell = chart.locator('tr[data-row="reading"] td')
    expect(cell.first).to_be_visible()
    assert plain(cell.first.inner_text()) == "1 300 personnes"
    labels = [plain(text) for text in chart.locator(".impact-chart__label").all_text_contents()]
    assert "1 300 personnes" in labels
    checks.check("impact page with its charts (structure, French)")
    visit(page, reverse("accelerator:impact_publication", args=[accompaniment.pk]))
    expect(page.locator('input[type="checkbox"][name="public"]')).to_have_count(2)
    checks.check("publication page (structure, French)")

    # 7. The référent (in English again: switching clears the cookies) moves the structure to
    # alumni from its accompaniment's page.
    switch_to(page, live_server, referent)
    visit(page, reverse("accelerator:accompaniment", args=[accompaniment.pk]))
    moves = page.get_by_role("group", name="Where does the structure go?")
    moves.get_by_role("radio", name="Move to Alumni").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Move the structure").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Alumni")
    assert Accompaniment.objects.get(pk=accompaniment.pk).stage == Stage.ALUMNI
    assert AccompanimentTransition.objects.filter(
        accompaniment=accompaniment, name="graduate", actor=referent
    ).exists()
    checks.assert_clean()
