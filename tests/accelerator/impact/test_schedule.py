"""A cohort's reporting schedule page: the form with the programme's defaults, saved by those who
run the cohort, read by other staff, hidden from everyone else; a refused value stays as typed;
the schedule applies to the reports opened afterwards."""

import pytest
from django.urls import reverse

from accelerator.domain.impact_reports import schedule_reports
from accelerator.models import ImpactReport, ReportingSchedule
from tests import factories
from tests.accelerator.cohorts import accompany

GOOD = {"every_months": "4", "reports": "2", "due_within_days": "15"}


def url(cohort):
    return reverse("accelerator:cohort_reporting_schedule", kwargs={"pk": cohort.pk})


def test_the_form_starts_from_the_programmes_defaults(cohort, staff, client_for):
    html = client_for(staff).get(url(cohort)).content.decode()
    assert "has no schedule of its own yet" in html
    assert "applies to the reports opened afterwards" in html
    assert "6" in html and "30" in html
    assert not ReportingSchedule.objects.filter(cohort=cohort).exists()


def test_a_programme_manager_saves_it_for_the_reports_opened_afterwards(
    cohort, manager_user, client_for
):
    before = accompany(cohort, factories.StructureFactory())
    assert len(schedule_reports(before)) == 3  # the default: three reports
    response = client_for(manager_user).post(url(cohort), {**GOOD, "last_is_final": "on"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accelerator:cohort_impact", kwargs={"pk": cohort.pk})
    schedule = ReportingSchedule.objects.get(cohort=cohort)
    assert (schedule.every_months, schedule.reports, schedule.due_within_days) == (4, 2, 15)
    assert schedule.last_is_final is True

    after = accompany(cohort, factories.StructureFactory())
    opened = schedule_reports(after)
    assert [report.number for report in opened] == [1, 2]
    assert opened[1].is_final and (opened[0].period_end - opened[0].period_start).days > 100
    # The reports already opened keep their schedule.
    assert ImpactReport.objects.filter(accompaniment=before).count() == 3
    page = client_for(manager_user).get(url(cohort)).content.decode()
    assert "2 structures of this cohort already have their reports." in page


def test_a_cohort_referent_changes_it_and_unticking_keeps_no_final_report(cohort, client_for):
    referent = factories.StaffFactory()
    cohort.referents.add(referent)
    ReportingSchedule.objects.create(cohort=cohort)
    assert client_for(referent).post(url(cohort), GOOD).status_code == 302
    assert ReportingSchedule.objects.get(cohort=cohort).last_is_final is False


def test_other_staff_read_it_but_may_not_change_it(cohort, staff, client_for):
    client = client_for(staff)
    page = client.get(url(cohort))
    assert page.status_code == 200
    html = page.content.decode()
    assert "data-schedule" in html and 'name="every_months"' not in html
    assert client.post(url(cohort), GOOD).status_code == 403
    assert not ReportingSchedule.objects.filter(cohort=cohort).exists()


@pytest.mark.parametrize("role", ["owner", "editor", "outsider", "support_point"])
def test_the_schedule_does_not_exist_for_non_staff(cohort, people, role, client_for):
    client = client_for(people[role])
    assert client.get(url(cohort)).status_code == 404
    assert client.post(url(cohort), GOOD).status_code == 404
    assert not ReportingSchedule.objects.filter(cohort=cohort).exists()


def test_anonymous_people_are_sent_to_log_in(cohort, client_for):
    response = client_for(None).post(url(cohort), GOOD)
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_refused_value_stays_as_typed_with_the_error_summary(cohort, manager_user, client_for):
    response = client_for(manager_user).post(
        url(cohort), {"every_months": "six", "reports": "0", "due_within_days": "15"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: " in html
    assert 'class="error-summary"' in html and "There are 2 problems" in html
    assert 'href="#id_every_months"' in html and 'href="#id_reports"' in html
    assert 'value="six"' in html and 'aria-invalid="true"' in html
    assert 'value="15"' in html
    assert not ReportingSchedule.objects.filter(cohort=cohort).exists()
