"""Every scan of the programme's rules costs the same queries for one item or twenty: one
INSERT ... SELECT per queryset of a plan (after one read of the cohorts' settings), then, per
batch, the reasons checked again in a constant number of queries."""

import datetime

import pytest
import time_machine

from accelerator.domain.reminders_digest import digest_sections
from accelerator.models import RegulatoryObstacle
from tests import factories
from tests.accelerator.cohorts import make_cohort
from tests.accelerator.reminders.world import followed, milestone, paris, report
from workers import reminders
from workers.models import Reminder, ReminderStatus

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 12, 7)  # a Monday


def world(count):
    """`count` structures, each with a référent and two members acting for it, a milestone of
    its own and one of the programme's due in a week, one of each overdue since yesterday, a
    report due in two weeks and one overdue, a stage entered 90 days ago and an open obstacle;
    in two cohorts with different offsets."""
    cohorts = [make_cohort("A"), make_cohort("B", remind_milestone_days=7, stalled_after_days=30)]
    long_ago = paris(DAY - datetime.timedelta(days=90))
    for n in range(count):
        accompaniment = followed(cohorts[n % 2], entered_at=long_ago).accompaniment
        for due_on in (DAY + datetime.timedelta(days=7), DAY - datetime.timedelta(days=1)):
            milestone(accompaniment, due_on)
            milestone(accompaniment, due_on, owner="staff")
        report(accompaniment, DAY + datetime.timedelta(days=14), number=1)
        report(accompaniment, DAY - datetime.timedelta(days=1), number=2)
        RegulatoryObstacle.objects.create(accompaniment=accompaniment, regulation="D", blocks="B")
    factories.StaffFactory()


# Per rule: (queries to plan it, reminders per structure).
PLANS = {
    # The cohorts' offsets, then members of its own, référents of the programme's (two).
    "milestone_due": (4, 3),
    "milestone_overdue": (3, 3),
    "milestone_overdue_referent": (2, 1),
    "report_due": (2, 2),
    "report_overdue": (1, 2),
    "report_overdue_referent": (2, 1),
    "stage_stalled": (3, 1),
    "staff_weekly_digest": (1, None),
}


@pytest.mark.parametrize("count", [1, 20])
@pytest.mark.parametrize("name", sorted(PLANS))
def test_planning_a_rule_costs_the_same_queries_for_1_and_20_structures(
    name, count, django_assert_num_queries
):
    world(count)
    queries, per_structure = PLANS[name]
    rule = reminders.rules()[name]
    with django_assert_num_queries(queries):
        planned = reminders.plan_rule(rule, paris(DAY, 9))
    if per_structure is not None:
        assert planned == per_structure * count


# Per rule: the queries of one batch. The engine's own (claim, recipients, preferences, outbox
# (3), notifications, statuses, the empty look that ends the run) are 10; the rest check reasons.
SENDS = {
    # The items with their accompaniment, then the members linked (the cohorts' référents too
    # when a structure has no référent of its own: a third query, none here).
    "milestone_due": 12,
    "milestone_overdue": 12,
    "milestone_overdue_referent": 12,
    "report_due": 12,
    "report_overdue": 12,
    "report_overdue_referent": 12,
    "stage_stalled": 12,
    # The digest: two queries per section (count, first items: the programme's four and those
    # other rooms register), one for the cohorts' thresholds; the reviews owed read one only
    # when, as here, no juror owes any (their stored counts say so, so no list is read).
    "staff_weekly_digest": 11 + 2 * len(digest_sections()) - 1,
}


@pytest.mark.parametrize("count", [1, 20])
@pytest.mark.parametrize("name", sorted(SENDS))
def test_sending_a_rules_reminders_costs_the_same_queries_for_1_and_20_structures(
    name, count, django_assert_num_queries
):
    world(count)
    moment = paris(DAY, 9)
    reminders.plan_rule(reminders.rules()[name], moment)
    planned = Reminder.objects.count()
    with time_machine.travel(moment, tick=False), django_assert_num_queries(SENDS[name]):
        assert reminders.send_due(moment) == planned
    assert not Reminder.objects.exclude(status=ReminderStatus.SENT).exists()
