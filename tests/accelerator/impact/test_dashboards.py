"""The cohort's and the programme's impact dashboards: figures added up from reports validated
through the domain, checked against sums, means and on-track counts worked out by hand; who sees
the pages; what they show."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accelerator.domain import impact_dashboards as dashboards
from accelerator.domain.impact_dashboards import Scope, Standing
from accelerator.domain.impact_programme import programme_impact
from accelerator.models import Aggregation, Indicator, Programme, ValueType
from applications.models import Juror
from tests import factories
from tests.accelerator.cohorts import accompany, make_cohort
from tests.accelerator.impact.world import (
    agreed_plan,
    first_report,
    in_impact_measurement,
    validated,
)

LOIRET, CHER = ("45", "Loiret"), ("18", "Cher")


def _text_indicator():
    return Indicator.objects.create(
        code="story",
        name="Récit",
        definition="Ce qui a changé.",
        value_type=ValueType.TEXT,
        aggregation=Aggregation.NONE,
        category="people",
    )


def _structure(code_name):
    return factories.StructureFactory(department=factories.department(*code_name))


@pytest.fixture
def world(db):
    """Four structures in a cohort, one in a second cohort of the same programme. Each value is
    past its target (on track) or below its baseline (behind), whatever today's date.

    s1 (45): two validated reports, the second one's figures are its latest;
    s2 (18): one report, behind on jobs; s3 (45): only jobs, on track;
    s4 (45): a plan, no validated report; s5 (45, other cohort): jobs, on track."""
    story = _text_indicator()
    cohort = make_cohort()
    other = make_cohort(name="Cohorte 2027")
    referent = factories.StaffFactory()

    s1 = in_impact_measurement(cohort, _structure(LOIRET), referent)
    agreed_plan(
        s1,
        {
            "jobs-fte": ("2", "6"),
            "people-reached": ("100", "300"),
            "own-revenue-share": ("40", "60"),
            "story": ("", ""),
        },
    )
    old = validated(
        first_report(s1),
        s1,
        {"jobs-fte": "10", "people-reached": "250", "own-revenue-share": "50", "story": "Un an"},
    )
    second = s1.impact_reports.get(number=2)
    latest_s1 = validated(
        second,
        s1,
        {"jobs-fte": "12", "people-reached": "350", "own-revenue-share": "35", "story": "Deux"},
    )

    s2 = in_impact_measurement(cohort, _structure(CHER), referent)
    agreed_plan(
        s2,
        {"jobs-fte": ("1", "4"), "people-reached": ("50", "80"), "own-revenue-share": ("20", "30")},
    )
    report_s2 = validated(
        first_report(s2),
        s2,
        {"jobs-fte": "0,5", "people-reached": "100", "own-revenue-share": "30"},
    )

    s3 = in_impact_measurement(cohort, _structure(LOIRET), referent)
    agreed_plan(s3, {"jobs-fte": ("0", "2")})
    report_s3 = validated(first_report(s3), s3, {"jobs-fte": "2,5"})

    s4 = in_impact_measurement(cohort, _structure(LOIRET), referent)
    agreed_plan(s4)  # jobs 2 -> 6, people 100 -> 300: planned, never reported

    s5 = in_impact_measurement(other, _structure(LOIRET), referent)
    agreed_plan(s5, {"jobs-fte": ("0", "1")})
    validated(first_report(s5), s5, {"jobs-fte": "1"})
    assert story.pk and old.pk
    return {
        "cohort": cohort,
        "other": other,
        "referent": referent,
        "s1": s1,
        "s2": s2,
        "s3": s3,
        "s4": s4,
        "s5": s5,
        "latest_reports": [latest_s1, report_s2, report_s3],
    }


def by_code(figures):
    return {figure.indicator.code: figure for figure in figures}


def test_cohort_figures_add_up_the_latest_validated_figures(world):
    figures = by_code(dashboards.figures(Scope(cohort_id=world["cohort"].pk)))
    codes = ["jobs-fte", "people-reached", "own-revenue-share", "story"]
    # In the catalogue's order.
    assert list(figures) == list(
        Indicator.objects.filter(code__in=codes).values_list("code", flat=True)
    )

    jobs = figures["jobs-fte"]
    # s1's latest (12, not 10 + 12), s2's 0.5, s3's 2.5.
    assert jobs.value == Decimal("12") + Decimal("0.5") + Decimal("2.5")
    assert jobs.aggregation == Aggregation.SUM
    assert (jobs.tally.reporting, jobs.tally.planned) == (3, 4)
    assert (jobs.tally.on_track, jobs.tally.behind, jobs.tally.not_comparable) == (2, 1, 0)
    # The baselines and targets of the three structures reporting (not s4's).
    assert jobs.baseline == Decimal(2 + 1 + 0)
    assert jobs.target == Decimal(6 + 4 + 2)
    assert jobs.shown == "15\u00a0ETP"

    people = figures["people-reached"]
    assert people.value == 350 + 100
    assert (people.tally.reporting, people.tally.planned) == (2, 3)
    assert (people.tally.on_track, people.tally.behind) == (2, 0)
    assert (people.baseline, people.target) == (100 + 50, 300 + 80)

    share = figures["own-revenue-share"]
    assert share.aggregation == Aggregation.MEAN
    assert share.value == (Decimal(35) + Decimal(30)) / 2
    assert share.baseline == (40 + 20) / 2
    assert share.target == (60 + 30) / 2
    assert (share.tally.on_track, share.tally.behind) == (1, 1)
    assert share.shown == "32.5\u00a0%"

    story = figures["story"]
    assert story.aggregation == Aggregation.NONE
    assert (story.value, story.baseline, story.target, story.shown) == (None, None, None, "")
    assert (story.tally.reporting, story.tally.not_comparable) == (1, 1)

    reports = world["latest_reports"]
    assert dashboards.period_of(figures.values()) == (
        min(report.period_start for report in reports),
        max(report.period_end for report in reports),
    )


def test_a_departement_counts_only_its_structures(world):
    figures = by_code(dashboards.figures(Scope(cohort_id=world["cohort"].pk, department="45")))
    assert figures["jobs-fte"].value == Decimal("12") + Decimal("2.5")
    assert figures["jobs-fte"].tally.planned == 3
    assert figures["people-reached"].value == 350
    assert figures["own-revenue-share"].value == 35
    assert dashboards.counts(Scope(cohort_id=world["cohort"].pk, department="18"))[()].behind == 1


def test_each_structure_stands_by_its_latest_figures(world):
    cohort = world["cohort"]
    lines = {a.pk: a for a in dashboards.structure_lines(Scope(cohort_id=cohort.pk))}
    standings = {key: dashboards.standing(lines[world[key].pk]) for key in ("s1", "s2", "s3", "s4")}
    assert standings == {
        # s1 is behind on its revenue share only; s2 on jobs only.
        "s1": Standing.BEHIND,
        "s2": Standing.BEHIND,
        "s3": Standing.ON_TRACK,
        "s4": Standing.NO_FIGURES,
    }
    assert lines[world["s1"].pk].last_report_id == world["latest_reports"][0].pk
    assert lines[world["s4"].pk].last_report_id is None
    assert lines[world["s4"].pk].late_reports == 0
    counts = dashboards.counts(Scope(cohort_id=cohort.pk))[()]
    assert (counts.structures, counts.reporting, counts.on_track, counts.behind) == (4, 3, 1, 2)
    assert counts.in_impact_measurement == 4


def test_the_programme_adds_up_its_cohorts_and_departements(world):
    impact = programme_impact(world["cohort"].programme)
    headline = by_code(impact.headline)
    assert headline["jobs-fte"].value == Decimal("12") + Decimal("0.5") + Decimal("2.5") + 1
    assert headline["people-reached"].value == 450
    assert headline["funds-raised"].value is None  # in no plan: no figure, still a headline
    assert (impact.counts.structures, impact.counts.reporting) == (5, 4)

    cohorts = {group.key: group for group in impact.cohorts}
    first, second = cohorts[world["cohort"].pk], cohorts[world["other"].pk]
    assert (first.counts.structures, second.counts.structures) == (4, 1)
    assert first.headline[0].value == 15 and second.headline[0].value == 1
    departments = {group.key: group for group in impact.departments}
    assert set(departments) == {"18", "45"}
    assert departments["45"].headline[0].value == Decimal("12") + Decimal("2.5") + 1
    assert departments["18"].headline[0].value == Decimal("0.5")
    assert departments["18"].label == "18 Cher"
    # The mean over the programme is the mean of every structure's figure, not of the groups'.
    assert by_code(impact.figures)["own-revenue-share"].value == Decimal("32.5")


def test_the_cohort_page_shows_the_figures_chart_and_links(world, client_for):
    cohort = world["cohort"]
    client = client_for(world["referent"])
    html = client.get(reverse("accelerator:cohort_impact", kwargs={"pk": cohort.pk})).content
    html = html.decode()
    jobs = re.search(r'<tr data-indicator="jobs-fte">.*?</tr>', html, re.S).group(0)
    assert "15\u00a0ETP" in jobs
    assert re.search(r'data-figure="on_track">2<', jobs)
    assert re.search(r'data-figure="behind">1<', jobs)
    assert 'data-chart-part="behind" data-count="1"' in html
    assert 'data-standing="behind"' in html and 'data-standing="no_figures"' in html
    for name in ("cohort_impact_csv", "cohort_impact_xlsx", "cohort_impact_pdf"):
        assert reverse(f"accelerator:{name}", kwargs={"pk": cohort.pk}) in html
    assert reverse("accelerator:cohort_reporting_schedule", kwargs={"pk": cohort.pk}) in html
    assert reverse("accelerator:impact", kwargs={"pk": world["s1"].pk}) in html
    # Filtered to Cher: s2 alone.
    response = client.get(
        reverse("accelerator:cohort_impact", kwargs={"pk": cohort.pk}), {"department": "18"}
    )
    rows = re.findall(r'<tr data-accompaniment="(\d+)"', response.content.decode())
    assert rows == [str(world["s2"].pk)]


def test_the_programme_page_reads_first_for_a_funder(world, client_for):
    programme = world["cohort"].programme
    response = client_for(world["referent"]).get(
        reverse("accelerator:programme_impact", kwargs={"pk": programme.pk})
    )
    html = response.content.decode()
    headline = re.search(r'data-headline="jobs-fte">.*?</li>', html, re.S).group(0)
    assert "16\u00a0ETP" in headline
    assert "Reported by 4 structures" in headline
    assert reverse("accelerator:cohort_impact", kwargs={"pk": world["other"].pk}) in html
    assert 'data-table="departments"' in html and "18 Cher" in html


# --- who sees the dashboards


@pytest.fixture
def small_cohort(structure):
    cohort = make_cohort()
    accompany(cohort, structure)
    return cohort


def _urls(cohort):
    return [
        reverse("accelerator:cohort_impact", kwargs={"pk": cohort.pk}),
        reverse("accelerator:programme_impact", kwargs={"pk": cohort.programme_id}),
    ]


def test_anonymous_people_are_sent_to_log_in(small_cohort, client_for):
    for url in _urls(small_cohort):
        response = client_for(None).get(url)
        assert response.status_code == 302 and "login" in response["Location"]


def test_only_programme_staff_see_the_dashboards(
    small_cohort, people, far_support_point_user, manager_user, client_for
):
    juror = factories.UserFactory()
    Juror.objects.create(call=factories.make_call(), user=juror, accepted_at=timezone.now())
    hidden = [people[name] for name in ("outsider", "viewer", "editor", "owner", "support_point")]
    for user in [*hidden, far_support_point_user, juror]:
        for url in _urls(small_cohort):
            assert client_for(user).get(url).status_code == 404, (user, url)
    for user in (people["staff"], manager_user):
        for url in _urls(small_cohort):
            assert client_for(user).get(url).status_code == 200


def test_an_unknown_cohort_or_programme_is_404(db, staff, client_for):
    client = client_for(staff)
    assert client.get(reverse("accelerator:cohort_impact", kwargs={"pk": 999})).status_code == 404
    assert (
        client.get(reverse("accelerator:programme_impact", kwargs={"pk": 999})).status_code == 404
    )


def test_an_empty_programme_and_an_unknown_departement_say_so(small_cohort, staff, client_for):
    client = client_for(staff)
    programme = Programme.objects.create(name="Autre programme", slug="autre")
    html = client.get(reverse("accelerator:programme_impact", kwargs={"pk": programme.pk}))
    assert "has no cohort yet" in html.content.decode()
    response = client.get(
        reverse("accelerator:cohort_impact", kwargs={"pk": small_cohort.pk}), {"department": "99"}
    )
    assert response.status_code == 200
    assert "every département is shown" in response.content.decode()


def test_the_board_and_the_cohort_list_link_to_the_dashboards(small_cohort, staff, client_for):
    client = client_for(staff)
    impact_url = reverse("accelerator:cohort_impact", kwargs={"pk": small_cohort.pk})
    board = client.get(reverse("accelerator:cohort_board", kwargs={"pk": small_cohort.pk}))
    assert impact_url in board.content.decode()
    listing = client.get(reverse("accelerator:cohort_list")).content.decode()
    assert impact_url in listing
    assert reverse("accelerator:programme_impact", kwargs={"pk": small_cohort.programme_id}) in (
        listing
    )


def test_a_support_point_board_has_no_link_to_the_dashboards(
    small_cohort, support_point_user, client_for
):
    board = client_for(support_point_user).get(
        reverse("accelerator:cohort_board", kwargs={"pk": small_cohort.pk})
    )
    assert board.status_code == 200
    assert reverse("accelerator:cohort_impact", kwargs={"pk": small_cohort.pk}) not in (
        board.content.decode()
    )
