"""An accompaniment's impact page: who sees it and what each reader may do there, the plan's
forms (a wrong value refused in place with what was typed), agreement, the reports with the late
ones, a chart and a table per indicator, the journey pages' flags, and a constant number of
queries."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accelerator.domain.impact_plans import agree, plan_of, save_line
from accelerator.domain.impact_reports import start_correction
from accelerator.models import ImpactReport, PlannedIndicator
from applications.domain.jury_invitations import accept_invitation, invite_juror
from tests import factories
from tests.accelerator.impact.world import (
    BASELINE_ON,
    TARGET_ON,
    agreed_plan,
    first_report,
    in_impact_measurement,
    indicator,
    validated,
)

pytestmark = pytest.mark.django_db


def page(accompaniment):
    return reverse("accelerator:impact", kwargs={"pk": accompaniment.pk})


def url(name, accompaniment, **kwargs):
    return reverse(f"accelerator:{name}", kwargs={"pk": accompaniment.pk, **kwargs})


@pytest.fixture
def accompaniment():
    return in_impact_measurement()


def _person(accompaniment, role):
    """The person of `role` around `accompaniment` (None: anonymous)."""
    structure = accompaniment.structure
    if role in ("viewer", "owner_member"):
        return factories.MembershipFactory(structure=structure, role="viewer").user
    if role in ("support_point", "far_support_point"):
        department = (
            structure.department if role == "support_point" else factories.department("18", "Cher")
        )
        user = factories.UserFactory()
        factories.SupportPointFactory(department=department).members.add(user)
        return user
    if role == "juror":
        user = factories.UserFactory()
        call = factories.make_call()
        staff = factories.StaffFactory()
        factories.make_dossier(call=call, structure=structure, created_by=accompaniment.owner)
        accept_invitation(invite_juror(call, user.email, "member", actor=staff), user)
        return user
    return {
        "anonymous": lambda: None,
        "outsider": lambda: factories.MembershipFactory().user,
        "editor": lambda: accompaniment.editor,
        "owner": lambda: accompaniment.owner,
        "staff": factories.StaffFactory,
        "manager": lambda: factories.ManagerFactory(programme=accompaniment.cohort.programme),
        "referent": lambda: accompaniment.referent,
        "superuser": lambda: factories.StaffFactory(is_superuser=True),
    }[role]()


# --- who sees the page, and who may plan


@pytest.mark.parametrize(
    ("role", "status", "may_plan"),
    [
        ("anonymous", "login", False),
        ("outsider", 404, False),
        ("juror", 404, False),
        ("far_support_point", 404, False),
        ("viewer", 200, False),
        ("editor", 200, True),
        ("owner", 200, True),
        ("support_point", 200, False),
        ("staff", 200, False),
        ("manager", 200, True),
        ("referent", 200, True),
        ("superuser", 200, True),
    ],
)
def test_who_sees_the_page_and_who_may_plan(accompaniment, client_for, role, status, may_plan):
    user = _person(accompaniment, role)
    response = client_for(user).get(page(accompaniment))
    if status == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
        return
    assert response.status_code == status
    if status != 200:
        return
    html = response.content.decode()
    assert (url("impact_plan_line", accompaniment) in html) is may_plan
    assert url("impact_summary_pdf", accompaniment) in html
    assert url("impact_publication", accompaniment) in html
    cohort_impact = reverse("accelerator:cohort_impact", kwargs={"pk": accompaniment.cohort_id})
    assert (cohort_impact in html) is bool(user.is_staff)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("outsider", 404),
        ("juror", 404),
        ("viewer", 403),
        ("support_point", 403),
        ("staff", 403),
    ],
)
def test_who_may_not_plan_is_refused_and_nothing_changes(accompaniment, client_for, role, status):
    agreed_plan(accompaniment)
    line = PlannedIndicator.objects.get(
        plan__accompaniment=accompaniment, indicator__code="jobs-fte"
    )
    client = client_for(_person(accompaniment, role))
    data = {"indicator": indicator("volunteers").pk, "baseline": "1", "target": "2"}
    assert client.post(url("impact_plan_line", accompaniment), data).status_code == status
    remove = url("impact_plan_line_remove", accompaniment, line_pk=line.pk)
    assert client.post(remove).status_code == status
    assert client.post(url("impact_plan_agree", accompaniment)).status_code == status
    plan = plan_of(accompaniment)
    assert len(plan.line_list) == 2 and plan.is_agreed


def test_the_plan_forms_answer_posts_only(accompaniment, client_for):
    client = client_for(accompaniment.editor)
    assert client.get(url("impact_plan_line", accompaniment)).status_code == 405
    assert client.get(url("impact_plan_agree", accompaniment)).status_code == 405


def test_a_line_of_another_accompaniment_is_not_found(accompaniment, client_for):
    other = in_impact_measurement(cohort=accompaniment.cohort, referent=accompaniment.referent)
    agreed_plan(other)
    line = other.impact_plan.lines.first()
    client = client_for(accompaniment.editor)
    response = client.post(url("impact_plan_line_remove", accompaniment, line_pk=line.pk))
    assert response.status_code == 404
    assert PlannedIndicator.objects.filter(pk=line.pk).exists()


# --- the plan's forms


def test_a_wrong_value_is_refused_in_place_with_what_was_typed(accompaniment, client_for):
    client = client_for(accompaniment.editor)
    data = {
        "indicator": indicator("people-reached").pk,
        "baseline": "12,5",
        "baseline_on": "2026-01-01",
        "target": "douze cents",
        "target_on": "2027-01-01",
    }
    response = client.post(url("impact_plan_line", accompaniment), data)
    assert response.status_code == 200
    html = response.content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert title.strip().startswith(("Erreur", "Error"))
    summary = re.search(r'<div class="[^"]*error-summary.*?</div>', html, re.S).group(0)
    assert 'href="#id_add_baseline"' in summary and 'href="#id_add_target"' in summary
    assert 'value="12,5"' in html and 'value="douze cents"' in html
    assert 'id="id_add_baseline"' in html and 'aria-invalid="true"' in html
    assert not PlannedIndicator.objects.filter(plan__accompaniment=accompaniment).exists()


def test_a_wrong_change_reopens_that_line_with_what_was_typed(accompaniment, client_for):
    plan = agreed_plan(accompaniment)
    line = plan.lines.get(indicator__code="jobs-fte")
    client = client_for(accompaniment.referent)
    data = {
        "indicator": line.indicator_id,
        "baseline": "2",
        "baseline_on": "2026-06-01",
        "target": "9",
        "target_on": "2026-01-01",
    }
    html = client.post(url("impact_plan_line", accompaniment), data).content.decode()
    assert f'href="#id_line{line.pk}_target_on"' in html
    assert re.search(rf'<li class="plan-line" id="line-{line.pk}".*?<details open>', html, re.S)
    assert 'value="9"' in html
    assert plan_of(accompaniment).is_agreed


def test_adding_and_changing_a_line_asks_both_sides_to_agree_again(accompaniment, client_for):
    agreed_plan(accompaniment)
    client = client_for(accompaniment.editor)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    data = {
        "indicator": indicator("revenue").pk,
        "baseline": "1 250 €",
        "baseline_on": "2026-01-01",
        "target": "12 500,50",
        "target_on": "2027-06-30",
    }
    response = client.post(url("impact_plan_line", accompaniment), data)
    line = PlannedIndicator.objects.get(
        plan__accompaniment=accompaniment, indicator__code="revenue"
    )
    assert response.status_code == 302
    assert response["Location"] == f"{page(accompaniment)}#line-{line.pk}"
    assert (line.baseline_value, line.target_value) == (Decimal("1250"), Decimal("12500.50"))
    assert not plan_of(accompaniment).is_agreed
    html = client.get(page(accompaniment)).content.decode()
    # French form on the page, and the plan waiting for both sides.
    assert "1\u00a0250\u00a0€" in html and "12\u00a0500,50" in html
    assert html.count('class="badge badge--waiting"') == 2
    assert url("impact_plan_agree", accompaniment) in html
    # A change of the same indicator, through the same form.
    data.update(target="15 000")
    client.post(url("impact_plan_line", accompaniment), data)
    line.refresh_from_db()
    assert line.target_value == Decimal("15000")


def test_removing_a_line(accompaniment, client_for):
    plan = agreed_plan(accompaniment)
    line = plan.lines.get(indicator__code="people-reached")
    client = client_for(accompaniment.owner)
    response = client.post(url("impact_plan_line_remove", accompaniment, line_pk=line.pk))
    assert response.status_code == 302
    assert not PlannedIndicator.objects.filter(pk=line.pk).exists()
    assert not plan_of(accompaniment).is_agreed


def test_each_side_agrees_from_the_page(accompaniment, client_for):
    save_line(
        accompaniment,
        accompaniment.editor,
        indicator("jobs-fte"),
        baseline="2",
        baseline_on=BASELINE_ON,
        target="6",
        target_on=TARGET_ON,
    )
    editor = client_for(accompaniment.editor)
    assert editor.post(url("impact_plan_agree", accompaniment)).status_code == 302
    plan = plan_of(accompaniment)
    assert plan.structure_agreed_by == accompaniment.editor and not plan.is_agreed
    # The structure agreed: its editor is no longer offered the button, the référent is.
    assert (
        url("impact_plan_agree", accompaniment)
        not in editor.get(page(accompaniment)).content.decode()
    )
    referent = client_for(accompaniment.referent)
    assert (
        url("impact_plan_agree", accompaniment)
        in referent.get(page(accompaniment)).content.decode()
    )
    referent.post(url("impact_plan_agree", accompaniment))
    plan = plan_of(accompaniment)
    assert plan.staff_agreed_by == accompaniment.referent and plan.is_agreed
    html = referent.get(page(accompaniment)).content.decode()
    assert 'class="plan-agreed"' in html
    assert accompaniment.editor.display_name in html and accompaniment.referent.display_name in html


def test_an_incomplete_plan_is_not_offered_for_agreement(accompaniment, client_for):
    save_line(accompaniment, accompaniment.editor, indicator("jobs-fte"), baseline="2")
    client = client_for(accompaniment.editor)
    html = client.get(page(accompaniment)).content.decode()
    assert 'class="plan-missing"' in html
    assert url("impact_plan_agree", accompaniment) not in html
    response = client.post(url("impact_plan_agree", accompaniment), follow=True)
    assert response.status_code == 200
    assert plan_of(accompaniment).structure_agreed_at is None


def test_a_support_point_reads_no_name_but_the_contacts(accompaniment, client_for):
    agreed_plan(accompaniment)
    html = client_for(_person(accompaniment, "support_point")).get(page(accompaniment))
    html = html.content.decode()
    assert accompaniment.editor.display_name not in html
    assert accompaniment.referent.display_name in html


# --- reports, charts and tables


def _late(report):
    ImpactReport.objects.filter(pk=report.pk).update(
        due_on=timezone.localdate() - datetime.timedelta(days=3)
    )


def test_reports_charts_and_tables(accompaniment, client_for):
    agreed_plan(accompaniment)
    reports = list(ImpactReport.objects.filter(accompaniment=accompaniment).order_by("number"))
    validated(reports[0], accompaniment, {"jobs-fte": "4,5", "people-reached": "150"})
    _late(reports[1])
    client = client_for(accompaniment.editor)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    html = client.get(page(accompaniment)).content.decode()
    for report in reports:
        assert reverse("accelerator:impact_report", kwargs={"pk": report.pk}) in html
    assert html.count('class="badge badge--final"') == 1
    assert 'data-late="1"' in html and 'data-late-reports="1"' in html
    # One chart per numeric indicator, each with its baseline, target and the validated value.
    assert html.count('role="img" aria-labelledby="chart-') == 2
    assert html.count('data-mark="baseline"') == 2 and html.count('data-mark="target"') == 2
    assert html.count('data-mark="reported"') == 2
    assert "4,5\u00a0ETP" in html and "150\u00a0personnes" in html
    # Its table: baseline, the report's value, target.
    jobs = re.search(
        r'<article class="indicator".*?data-indicator="jobs-fte".*?</article>', html, re.S
    )
    rows = re.findall(r'data-row="(\w+)"', jobs.group(0))
    assert rows == ["baseline", "reading", "target"]
    assert 'class="badge badge--on-track"' in jobs.group(0) or "badge--behind" in jobs.group(0)


def test_a_corrected_report_shows_its_correction_once_validated(accompaniment, client_for):
    agreed_plan(accompaniment)
    report = validated(
        first_report(accompaniment), accompaniment, {"jobs-fte": "4", "people-reached": "150"}
    )
    correction = start_correction(report, accompaniment.editor, "Erreur de saisie")
    validated(correction, accompaniment, {"jobs-fte": "5", "people-reached": "150"})
    html = client_for(accompaniment.referent).get(page(accompaniment)).content.decode()
    jobs = re.search(
        r'<article class="indicator".*?data-indicator="jobs-fte".*?</article>', html, re.S
    )
    readings = re.findall(r'<tr data-row="reading">.*?</tr>', jobs.group(0), re.S)
    assert len(readings) == 1
    assert "5\u00a0ETP" in readings[0] and "4\u00a0ETP" not in readings[0]
    assert 'class="badge badge--superseded"' in html


# --- the journey pages' flags


def test_the_journey_pages_link_to_the_impact_and_flag_late_reports(accompaniment, client_for):
    _late(first_report(accompaniment))
    due = (timezone.localdate() - datetime.timedelta(days=3)).day
    journey = reverse("accelerator:structure_journey", kwargs={"pk": accompaniment.structure_id})
    detail = reverse("accelerator:accompaniment", kwargs={"pk": accompaniment.pk})
    for client, address in (
        (client_for(accompaniment.editor), journey),
        (client_for(accompaniment.referent), detail),
    ):
        html = client.get(address).content.decode()
        assert page(accompaniment) in html
        flag = re.search(r'<p class="journey-impact".*?</p>', html, re.S).group(0)
        assert 'data-late-reports="1"' in flag and str(due) in flag


def test_no_impact_link_before_impact_measurement(client_for, structure, owner):
    from tests.accelerator.cohorts import accompany, make_cohort

    accompaniment = accompany(make_cohort(), structure)
    journey = reverse("accelerator:structure_journey", kwargs={"pk": structure.pk})
    html = client_for(owner).get(journey).content.decode()
    assert page(accompaniment) not in html


# --- queries


def _grow(accompaniment):
    """Two more indicators, the plan agreed again, the three reports validated, a correction."""
    for code in ("volunteers", "revenue"):
        save_line(
            accompaniment,
            accompaniment.editor,
            indicator(code),
            baseline="10",
            baseline_on=BASELINE_ON,
            target="20",
            target_on=TARGET_ON,
        )
    plan = plan_of(accompaniment)
    agree(plan, accompaniment.editor)
    agree(plan, accompaniment.referent)
    values = {"jobs-fte": "3", "people-reached": "120", "volunteers": "12", "revenue": "1 000"}
    reports = ImpactReport.objects.filter(accompaniment=accompaniment, state="due")
    for report in reports.order_by("number"):
        validated(report, accompaniment, values)
    start_correction(first_report(accompaniment), accompaniment.editor, "Une coquille")


@pytest.mark.parametrize("role", ["editor", "referent", "support_point"])
def test_the_page_runs_the_same_queries_whatever_it_shows(
    accompaniment, client_for, count_queries, role
):
    agreed_plan(accompaniment, {"jobs-fte": ("2", "6")})
    validated(first_report(accompaniment), accompaniment, {"jobs-fte": "3"})
    client = client_for(_person(accompaniment, role))
    one = count_queries(client, page(accompaniment))
    _grow(accompaniment)
    assert ImpactReport.objects.filter(accompaniment=accompaniment).count() == 4
    assert count_queries(client, page(accompaniment)) == one
    html = client.get(page(accompaniment)).content.decode()
    assert html.count('role="img" aria-labelledby="chart-') == 3
    print(f"impact page ({role}): {one} queries with 1 and with 3 indicators, 4 reports")
