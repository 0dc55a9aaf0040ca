"""Milestones due soon and overdue: at 9:00 Paris on their day, once, to the people who must
deliver them (the structure's owners and editors, or the référent for the programme's own), and
to the référent of a structure whose milestone is late."""

import datetime

import pytest

from accelerator.domain.followup import set_milestone_status
from accelerator.domain.journey import change_stage
from accelerator.models import MilestoneOwner
from tests import factories
from tests.accelerator.cohorts import make_cohort
from tests.accelerator.reminders.world import (
    UTC,
    followed,
    mails,
    milestone,
    paris,
    scan_at,
    sent,
)
from workers import reminders
from workers.models import Notification, Reminder, ReminderStatus

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 12, 7)
MILESTONE_RULES = ("milestone_due", "milestone_overdue", "milestone_overdue_referent")


def test_a_milestone_due_in_seven_days_is_said_at_nine_to_its_structures_owners_and_editors():
    world = followed()
    item = milestone(world.accompaniment, DAY + datetime.timedelta(days=7))

    assert scan_at(paris(DAY, 8, 59), *MILESTONE_RULES)["milestone_due"] == 0
    assert scan_at(paris(DAY, 9, 0), *MILESTONE_RULES)["milestone_due"] == 2
    assert scan_at(paris(DAY, 9, 5), *MILESTONE_RULES)["milestone_due"] == 0
    assert scan_at(paris(DAY + datetime.timedelta(days=1)), *MILESTONE_RULES) == dict.fromkeys(
        MILESTONE_RULES, 0
    )

    # Not the viewer, not the référent: the structure does this one.
    assert sent("milestone_due") == sorted([(item.pk, world.owner.pk), (item.pk, world.editor.pk)])
    assert [mail.to for mail in mails("milestone_due")] == sorted(
        [world.owner.email, world.editor.email]
    )
    mail = mails("milestone_due").first()
    assert "Diagnostic" in mail.subject and "due soon" in mail.subject
    assert "is due on 14 December 2026" in mail.body_text
    journey = f"/structures/{world.accompaniment.structure_id}/journey/"
    assert f"{journey}#milestones-{world.accompaniment.pk}" in mail.body_text
    bell = Notification.objects.get(recipient=world.owner)
    assert bell.about == f"milestone:{item.pk}"
    assert bell.within == f"structure:{world.accompaniment.structure_id}"
    assert bell.link == f"{journey}#milestones-{world.accompaniment.pk}"
    assert bell.email.key.startswith("reminder:milestone_due:")
    assert Reminder.objects.get(recipient=world.owner).due_at == paris(DAY)


def test_the_programmes_own_milestone_is_said_to_the_referent():
    world = followed()
    item = milestone(
        world.accompaniment, DAY + datetime.timedelta(days=7), owner=MilestoneOwner.STAFF
    )

    scan_at(paris(DAY), *MILESTONE_RULES)

    assert sent("milestone_due") == [(item.pk, world.referent.pk)]
    bell = Notification.objects.get(recipient=world.referent)
    assert bell.link == f"/accompaniments/{world.accompaniment.pk}/#milestone-{item.pk}"


def test_an_overdue_milestone_is_said_once_the_day_after_to_the_doers_and_the_referent():
    world = followed()
    item = milestone(world.accompaniment, DAY)
    after = DAY + datetime.timedelta(days=1)

    scan_at(paris(DAY, 23, 59), *MILESTONE_RULES)
    scan_at(paris(after, 8, 59), *MILESTONE_RULES)
    assert not Reminder.objects.filter(rule__contains="overdue").exists()

    scan_at(paris(after), *MILESTONE_RULES)
    scan_at(paris(after, 17), *MILESTONE_RULES)
    scan_at(paris(after + datetime.timedelta(days=3)), *MILESTONE_RULES)

    assert sent("milestone_overdue") == sorted(
        [(item.pk, world.owner.pk), (item.pk, world.editor.pk)]
    )
    assert sent("milestone_overdue_referent") == [(item.pk, world.referent.pk)]
    to_referent = mails("milestone_overdue_referent").get()
    assert "was due on 7 December 2026" in to_referent.body_text
    assert f"/accompaniments/{world.accompaniment.pk}/#milestone-{item.pk}" in (
        to_referent.body_text
    )
    # The référent's is routine: it can be turned off in one click.
    assert "List-Unsubscribe" in to_referent.headers
    assert "List-Unsubscribe" not in mails("milestone_overdue").first().headers


def test_a_structure_with_no_referent_is_followed_by_its_cohorts_referents():
    cohort = make_cohort()
    first, second = factories.StaffFactory(), factories.StaffFactory()
    cohort.referents.set([first, second])
    world = followed(cohort, referent=False)
    item = milestone(world.accompaniment, DAY)

    scan_at(paris(DAY + datetime.timedelta(days=1)), *MILESTONE_RULES)

    assert sent("milestone_overdue_referent") == sorted([(item.pk, first.pk), (item.pk, second.pk)])


def test_each_cohort_says_it_with_its_own_offset_and_zero_turns_it_off():
    week, three_days, off = (
        make_cohort("Semaine"),
        make_cohort("Trois jours", remind_milestone_days=3),
        make_cohort("Sans rappel", remind_milestone_days=0),
    )
    in_week = milestone(followed(week).accompaniment, DAY + datetime.timedelta(days=7))
    early = milestone(followed(three_days).accompaniment, DAY + datetime.timedelta(days=7))
    soon = milestone(followed(three_days).accompaniment, DAY + datetime.timedelta(days=3))
    milestone(followed(off).accompaniment, DAY + datetime.timedelta(days=1))

    scan_at(paris(DAY), "milestone_due")
    assert {object_id for object_id, _ in sent("milestone_due")} == {in_week.pk, soon.pk}

    scan_at(paris(DAY + datetime.timedelta(days=4), 8, 59), "milestone_due")
    assert {object_id for object_id, _ in sent("milestone_due")} == {in_week.pk, soon.pk}
    scan_at(paris(DAY + datetime.timedelta(days=4)), "milestone_due")
    assert {object_id for object_id, _ in sent("milestone_due")} == {in_week.pk, soon.pk, early.pk}


@pytest.mark.parametrize(
    ("change", "drops"),
    [
        ("done", 2),
        ("new date", 2),
        ("editor removed", 1),
        ("structure left", 2),
    ],
)
def test_a_reminder_whose_reason_went_is_dropped(change, drops):
    world = followed()
    item = milestone(world.accompaniment, DAY + datetime.timedelta(days=7))
    with_reason = paris(DAY)
    rule = reminders.rules()["milestone_due"]
    assert reminders.plan_rule(rule, with_reason) == 2

    if change == "done":
        set_milestone_status(item, "done", world.referent)
    elif change == "new date":
        item.due_on += datetime.timedelta(days=10)
        item.save()
    elif change == "editor removed":
        world.editor.memberships.all().delete()
    else:
        change_stage(world.accompaniment, "exit", world.referent, reason="Cessation d'activité")

    reminders.send_due(with_reason)

    assert Reminder.objects.filter(status=ReminderStatus.DROPPED).count() == drops
    assert mails("milestone_due").count() == 2 - drops


def test_a_referent_replaced_before_the_send_is_not_told():
    world = followed()
    milestone(world.accompaniment, DAY)
    moment = paris(DAY + datetime.timedelta(days=1))
    reminders.plan_rule(reminders.rules()["milestone_overdue_referent"], moment)
    world.accompaniment.referent = factories.StaffFactory()
    world.accompaniment.save()

    reminders.send_due(moment)

    assert Reminder.objects.get(rule="milestone_overdue_referent").status == ReminderStatus.DROPPED


@pytest.mark.parametrize(
    ("due_on", "before", "at"),
    [
        # Summer time starts on 28 March 2027: 9:00 in Paris is 7:00 UTC.
        (datetime.date(2027, 4, 4), datetime.datetime(2027, 3, 28, 6, 59, tzinfo=UTC), 7),
        # Winter time starts on 25 October 2026: 9:00 in Paris is 8:00 UTC.
        (datetime.date(2026, 11, 1), datetime.datetime(2026, 10, 25, 7, 59, tzinfo=UTC), 8),
    ],
)
def test_a_date_based_reminder_goes_at_nine_in_paris_on_both_sides_of_a_clock_change(
    due_on, before, at
):
    world = followed()
    milestone(world.accompaniment, due_on)

    scan_at(before, "milestone_due")
    assert sent("milestone_due") == []

    nine = before.replace(hour=at, minute=0)
    scan_at(nine, "milestone_due")
    assert len(sent("milestone_due")) == 2
    due_at = Reminder.objects.filter(rule="milestone_due").first().due_at
    assert due_at == nine
    assert due_at.astimezone(paris(due_on).tzinfo).hour == 9
