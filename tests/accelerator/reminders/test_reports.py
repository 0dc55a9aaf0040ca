"""Impact reports due in 14 days and overdue: at 9:00 Paris, once, to the structure's owners and
editors; overdue, to its référent too; not once the report is submitted."""

import datetime

import pytest
from django.utils import timezone

from accelerator.domain.impact_reports import change_report_state
from accelerator.models import ImpactPlan
from tests.accelerator.cohorts import make_cohort
from tests.accelerator.reminders.world import followed, mails, paris, report, scan_at, sent
from workers import reminders
from workers.models import Notification, Reminder, ReminderStatus

pytestmark = pytest.mark.django_db

DAY = datetime.date(2027, 1, 11)
REPORT_RULES = ("report_due", "report_overdue", "report_overdue_referent")


def test_a_report_due_in_fourteen_days_is_said_at_nine_to_owners_and_editors():
    world = followed()
    item = report(world.accompaniment, DAY + datetime.timedelta(days=14), number=2)

    assert scan_at(paris(DAY, 8, 59), *REPORT_RULES)["report_due"] == 0
    assert scan_at(paris(DAY, 9, 0), *REPORT_RULES)["report_due"] == 2
    assert scan_at(paris(DAY, 9, 5), *REPORT_RULES)["report_due"] == 0

    assert sent("report_due") == sorted([(item.pk, world.owner.pk), (item.pk, world.editor.pk)])
    mail = mails("report_due").first()
    assert "impact report 2 is due soon" in mail.subject
    assert "is due on 25 January 2027" in mail.body_text
    assert f"/impact-reports/{item.pk}/" in mail.body_text
    bell = Notification.objects.get(recipient=world.editor)
    assert (bell.about, bell.within) == (
        f"impact_report:{item.pk}",
        f"structure:{world.accompaniment.structure_id}",
    )
    assert bell.link == f"/impact-reports/{item.pk}/"


def test_an_overdue_report_is_said_once_the_day_after_to_the_structure_and_its_referent():
    world = followed()
    item = report(world.accompaniment, DAY)
    after = DAY + datetime.timedelta(days=1)

    scan_at(paris(after, 8, 59), *REPORT_RULES)
    assert not Reminder.objects.filter(rule__contains="overdue").exists()
    scan_at(paris(after), *REPORT_RULES)
    scan_at(paris(after, 9, 1), *REPORT_RULES)

    assert sent("report_overdue") == sorted([(item.pk, world.owner.pk), (item.pk, world.editor.pk)])
    assert sent("report_overdue_referent") == [(item.pk, world.referent.pk)]
    assert "was due on 11 January 2027" in mails("report_overdue_referent").get().body_text


def test_each_cohort_says_it_with_its_own_offset():
    usual, short = make_cohort("Usuelle"), make_cohort("Courte", remind_report_days=5)
    fourteen = report(followed(usual).accompaniment, DAY + datetime.timedelta(days=14))
    too_early = report(followed(short).accompaniment, DAY + datetime.timedelta(days=14))
    five = report(followed(short).accompaniment, DAY + datetime.timedelta(days=5))

    scan_at(paris(DAY), "report_due")

    assert {object_id for object_id, _ in sent("report_due")} == {fourteen.pk, five.pk}
    assert not Reminder.objects.filter(object_id=too_early.pk).exists()


def test_a_report_submitted_before_the_send_is_not_reminded():
    world = followed()
    item = report(world.accompaniment, DAY)
    moment = paris(DAY + datetime.timedelta(days=1))
    reminders.plan_rule(reminders.rules()["report_overdue"], moment)
    now = timezone.now()
    ImpactPlan.objects.create(
        accompaniment=world.accompaniment, structure_agreed_at=now, staff_agreed_at=now
    )
    change_report_state(item, "submit", world.editor)

    reminders.send_due(moment)

    assert set(Reminder.objects.values_list("status", flat=True)) == {ReminderStatus.DROPPED}
    assert not mails("report_overdue").exists()
