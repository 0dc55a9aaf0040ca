"""The staff's weekly digest: on Monday at 8:00 Paris, one e-mail per member of the programme
staff, once a week, with the right counts, the first items and links to the staff pages; the
sections of other rooms come through the registry."""

import datetime

import pytest
import time_machine
from django.core import mail

from accelerator.domain.journey import change_stage
from accelerator.domain.obstacles import change_obstacle_state
from accelerator.domain.reminders_digest import (
    DigestFigures,
    DigestItem,
    DigestSection,
    register_digest_section,
    unregister_digest_section,
)
from accelerator.models import RegulatoryObstacle
from tests import factories
from tests.accelerator.cohorts import make_cohort
from tests.accelerator.reminders.world import followed, mails, milestone, paris, report
from workers import outbox
from workers.models import Notification, Reminder
from workers.tasks import scan_reminders

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 12, 7)
DIGEST = "staff_weekly_digest"


@pytest.fixture
def dossiers_section():
    """A section as another room registers it (applications: new dossiers)."""
    reads = []

    def read(now):
        reads.append(now)
        return DigestFigures(4, [DigestItem("CVL-2026-0001", "/staff/dossiers/1/")])

    register_digest_section(
        DigestSection("probe_new_dossiers", "New dossiers", read, "accelerator:cohort_list", "", 10)
    )
    yield reads
    unregister_digest_section("probe_new_dossiers")


def monday_scan(day=MONDAY, hour=8):
    with time_machine.travel(paris(day, hour), tick=False):
        return scan_reminders(DIGEST)


def programme(count=1):
    """`count` structures with an overdue milestone, an overdue report, a stage entered long
    ago and an open obstacle each, plus what must not be counted."""
    cohort = make_cohort()
    long_ago = paris(MONDAY - datetime.timedelta(days=90))
    for n in range(count):
        world = followed(cohort, referent=False, entered_at=long_ago)
        milestone(world.accompaniment, MONDAY - datetime.timedelta(days=n + 1), title=f"Jalon {n}")
        report(world.accompaniment, MONDAY - datetime.timedelta(days=2))
        RegulatoryObstacle.objects.create(
            accompaniment=world.accompaniment, regulation=f"Décret {n}", blocks="L'ouverture"
        )
    return cohort


def test_each_staff_member_gets_one_digest_a_week_on_monday_at_eight(dossiers_section):
    first, second = factories.StaffFactory(), factories.StaffFactory()
    factories.StaffFactory(is_active=False)
    followed(referent=False)  # its members are not staff

    assert monday_scan(hour=8) == {DIGEST: 2}
    assert monday_scan(hour=9) == {DIGEST: 0}
    assert monday_scan(MONDAY + datetime.timedelta(days=2)) == {DIGEST: 0}

    assert sorted(m.to for m in mails(DIGEST)) == sorted([first.email, second.email])
    reminder = Reminder.objects.filter(rule=DIGEST).first()
    assert reminder.occasion == "2026-W50"
    assert reminder.due_at == paris(MONDAY, 8)
    # The sections were read once for the whole batch, not once per e-mail.
    assert len(dossiers_section) == 1

    assert monday_scan(MONDAY + datetime.timedelta(days=7)) == {DIGEST: 2}
    assert mails(DIGEST).count() == 4


def test_the_digest_is_not_part_of_the_periodic_scan():
    factories.StaffFactory()
    with time_machine.travel(paris(MONDAY, 8), tick=False):
        assert DIGEST not in scan_reminders()
    assert not Reminder.objects.filter(rule=DIGEST).exists()


def test_the_digest_counts_what_waits_and_links_to_the_staff_pages(dossiers_section):
    staff = factories.StaffFactory()
    programme(7)
    # Not counted: a milestone done, a structure that left, an obstacle closed, a report on time.
    done = followed()
    milestone(done.accompaniment, MONDAY - datetime.timedelta(days=3)).delete()
    left = followed(entered_at=paris(MONDAY - datetime.timedelta(days=90)))
    milestone(left.accompaniment, MONDAY - datetime.timedelta(days=3))
    change_stage(left.accompaniment, "exit", left.referent, reason="Fin du projet")
    closed = RegulatoryObstacle.objects.create(
        accompaniment=done.accompaniment, regulation="Arrêté", blocks="Rien"
    )
    change_obstacle_state(closed, "close", staff, "Sans suite")
    report(done.accompaniment, MONDAY)

    monday_scan()

    # The référents of the structures not counted are staff too: each has a digest.
    assert mails(DIGEST).count() == 3
    digest = mails(DIGEST).get(to=staff.email)
    body = digest.body_text
    assert "== New dossiers: 4" in body
    assert "== Overdue milestones: 7" in body
    assert "== Overdue impact reports: 7" in body
    assert "== Structures staying long in one stage: 7" in body
    assert "== Regulatory obstacles waiting: 7" in body
    assert digest.subject == "Weekly digest of the programme: 32 items to look at"
    # The five oldest of each, then a link to all of them.
    assert "Jalon 6" in body and "Jalon 2" in body and "Jalon 1" not in body
    assert "(due on 30 November 2026)" in body
    assert body.count("All of them: http") == 5
    assert "/obstacles/" in body and "/impact-reports/" in body and "/accompaniments/" in body
    bell = Notification.objects.get(recipient=staff)
    assert bell.text == "Weekly digest: 32 items to look at"
    assert bell.link == "/cohorts/"


def test_the_digest_reads_in_french_for_a_french_reader():
    factories.StaffFactory(language="fr")
    programme(1)

    monday_scan()

    body = mails(DIGEST).get().body_text
    assert "Jalon 0" in body
    assert "7 décembre 2026" not in body  # the milestone was due the day before
    assert "6 décembre 2026" in body


def test_a_digest_of_a_past_week_still_waiting_is_not_sent():
    factories.StaffFactory()
    with time_machine.travel(paris(MONDAY, 8), tick=False):
        from workers import reminders

        reminders.plan_rule(reminders.rules()[DIGEST], paris(MONDAY, 8))
    with time_machine.travel(paris(MONDAY + datetime.timedelta(days=7), 7), tick=False):
        reminders.send_due()
    assert not mails(DIGEST).exists()
    assert Reminder.objects.get(rule=DIGEST).status == "dropped"


def test_the_digest_is_delivered_once(dossiers_section):
    factories.StaffFactory()
    monday_scan()
    message = mails(DIGEST).get()
    with time_machine.travel(paris(MONDAY, 8, 1), tick=False):
        assert outbox.deliver(message.pk) is True
        assert outbox.deliver(message.pk) is False
    assert len(mail.outbox) == 1
    # The last look before delivery only asks whether the reason holds: no section is read.
    assert len(dossiers_section) == 1


@pytest.mark.parametrize(
    ("monday", "utc_hour"),
    [
        # The Mondays after the clocks change: summer time (8:00 Paris is 6:00 UTC), then
        # winter time (7:00 UTC).
        (datetime.date(2027, 3, 29), 6),
        (datetime.date(2026, 10, 26), 7),
    ],
)
def test_the_digest_is_due_at_eight_in_paris_on_both_sides_of_a_clock_change(monday, utc_hour):
    factories.StaffFactory()
    before = datetime.datetime.combine(monday, datetime.time(utc_hour - 1, 59), tzinfo=datetime.UTC)
    with time_machine.travel(before, tick=False):
        # Beat runs the task at 8:00 Paris; run a minute early, the digest waits.
        assert scan_reminders(DIGEST) == {DIGEST: 1}
    assert not mails(DIGEST).exists()

    with time_machine.travel(before + datetime.timedelta(minutes=1), tick=False):
        scan_reminders(DIGEST)
    assert mails(DIGEST).count() == 1
    due_at = Reminder.objects.get(rule=DIGEST).due_at
    assert due_at == datetime.datetime.combine(monday, datetime.time(utc_hour), tzinfo=datetime.UTC)
