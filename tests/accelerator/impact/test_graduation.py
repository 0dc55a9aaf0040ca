"""The journey's last step: a structure becomes alumni only once its impact is reported and
validated (the final report, when the cohort's schedule has one)."""

import datetime

import pytest
from django.utils import timezone

from accelerator.domain.impact_reports import change_report_state, schedule_reports
from accelerator.domain.journey import change_stage, next_stage_needs
from accelerator.domain.transitions import TransitionRefused
from accelerator.models import ImpactReport, ReportingSchedule, Stage
from tests.accelerator.cohorts import make_cohort
from tests.accelerator.impact.world import (
    agreed_plan,
    first_report,
    in_impact_measurement,
    validated,
)

pytestmark = pytest.mark.django_db
VALUES = {"jobs-fte": "3", "people-reached": "180"}


def test_entering_impact_measurement_opens_the_reports_of_the_cohorts_schedule():
    cohort = make_cohort()
    ReportingSchedule.objects.create(
        cohort=cohort, every_months=4, reports=2, last_is_final=True, due_within_days=15
    )
    accompaniment = in_impact_measurement(cohort)
    # The day in Paris: just after midnight there, UTC is still on the day before.
    entered = timezone.localdate(accompaniment.stage_entered_at)
    reports = list(ImpactReport.objects.filter(accompaniment=accompaniment))
    assert [(r.number, r.is_final, r.state) for r in reports] == [
        (1, False, "due"),
        (2, True, "due"),
    ]
    assert reports[0].period_start == entered
    assert reports[1].period_start.month == (entered.month + 3) % 12 + 1
    assert reports[0].due_on == reports[0].period_end + datetime.timedelta(days=15)
    # Entering the stage again (after a pause) opens none twice.
    assert schedule_reports(accompaniment) == []
    assert ImpactReport.objects.filter(accompaniment=accompaniment).count() == 2


def test_alumni_waits_for_the_final_report_and_says_so_in_the_users_words():
    accompaniment = in_impact_measurement()
    agreed_plan(accompaniment)
    refusal = ["The final impact report must be validated before the structure becomes alumni."]
    assert next_stage_needs(accompaniment) == ("graduate", refusal)
    # A validated report that is not the final one is not enough.
    validated(first_report(accompaniment), accompaniment, VALUES)
    with pytest.raises(TransitionRefused) as refused:
        change_stage(accompaniment, "graduate", accompaniment.referent)
    assert refused.value.messages == refusal
    final = ImpactReport.objects.get(accompaniment=accompaniment, is_final=True)
    validated(final, accompaniment, VALUES)
    assert next_stage_needs(accompaniment) == ("graduate", [])
    moved = change_stage(accompaniment, "graduate", accompaniment.referent)
    assert moved.stage == Stage.ALUMNI


def test_without_a_final_report_one_validated_report_is_enough():
    cohort = make_cohort()
    ReportingSchedule.objects.create(cohort=cohort, reports=2, last_is_final=False)
    accompaniment = in_impact_measurement(cohort)
    agreed_plan(accompaniment)
    report = first_report(accompaniment)
    with pytest.raises(TransitionRefused) as refused:
        change_stage(accompaniment, "graduate", accompaniment.referent)
    assert refused.value.messages == [
        "An impact report must be validated before the structure becomes alumni."
    ]
    report = validated(report, accompaniment, VALUES)
    assert change_stage(accompaniment, "graduate", accompaniment.referent).stage == Stage.ALUMNI


def test_a_submitted_report_sent_back_does_not_count():
    cohort = make_cohort()
    ReportingSchedule.objects.create(cohort=cohort, reports=1, last_is_final=True)
    accompaniment = in_impact_measurement(cohort)
    agreed_plan(accompaniment)
    from tests.accelerator.impact.world import submitted

    report = submitted(first_report(accompaniment), accompaniment, VALUES)
    change_report_state(report, "request_changes", accompaniment.referent, "Précisez les ETP.")
    with pytest.raises(TransitionRefused):
        change_stage(accompaniment, "graduate", accompaniment.referent)
