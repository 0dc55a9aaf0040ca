"""A structure that stays in one stage longer than its cohort's threshold: its référent (or the
cohort's référents) hears of it once per stalled stage, at 9:00 Paris."""

import datetime

import pytest

from accelerator.domain.journey import change_stage
from accelerator.models import Stage
from tests import factories
from tests.accelerator.cohorts import make_cohort
from tests.accelerator.reminders.world import followed, mails, paris, scan_at, sent
from tests.accelerator.test_journey_transitions import fulfil
from workers import reminders
from workers.models import Notification, Reminder, ReminderStatus

pytestmark = pytest.mark.django_db

ENTERED = datetime.date(2026, 9, 1)
SIXTY_DAYS_ON = ENTERED + datetime.timedelta(days=60)


def test_a_stage_unchanged_for_sixty_days_is_said_once_to_the_referent():
    world = followed(entered_at=paris(ENTERED, 16, 30))
    accompaniment = world.accompaniment

    scan_at(paris(SIXTY_DAYS_ON - datetime.timedelta(days=1)), "stage_stalled")
    scan_at(paris(SIXTY_DAYS_ON, 8, 59), "stage_stalled")
    assert sent("stage_stalled") == []
    scan_at(paris(SIXTY_DAYS_ON), "stage_stalled")
    scan_at(paris(SIXTY_DAYS_ON + datetime.timedelta(days=10)), "stage_stalled")

    assert sent("stage_stalled") == [(accompaniment.pk, world.referent.pk)]
    assert Reminder.objects.get().occasion == "sourcing:2026-09-01"
    mail = mails("stage_stalled").get()
    assert "has stayed in “Sourcing” for 60 days" in mail.subject
    assert f"/accompaniments/{accompaniment.pk}/" in mail.body_text
    bell = Notification.objects.get()
    assert (bell.about, bell.within, bell.link) == (
        f"accompaniment:{accompaniment.pk}",
        f"structure:{accompaniment.structure_id}",
        f"/accompaniments/{accompaniment.pk}/",
    )


def test_a_new_stage_that_stalls_is_said_again_and_a_moved_one_is_dropped():
    world = followed(entered_at=paris(ENTERED))
    scan_at(paris(SIXTY_DAYS_ON), "stage_stalled")
    fulfil(world.accompaniment, "start_labelling")
    moved = change_stage(world.accompaniment, "start_labelling", world.referent)
    # Planned for the new stage, then moved again before the send: the reason went.
    later = moved.stage_entered_at + datetime.timedelta(days=61)
    reminders.plan_rule(reminders.rules()["stage_stalled"], later)
    assert Reminder.objects.filter(occasion__startswith="labelling:").count() == 1
    change_stage(moved, "pause", world.referent)

    reminders.send_due(later)

    statuses = dict(Reminder.objects.values_list("occasion", "status"))
    assert statuses["sourcing:2026-09-01"] == ReminderStatus.SENT
    labelling = next(occasion for occasion in statuses if occasion.startswith("labelling:"))
    assert statuses[labelling] == ReminderStatus.DROPPED


def test_paused_and_exited_structures_are_not_stalled_and_each_cohort_has_its_threshold():
    short = make_cohort("Rapide", stalled_after_days=30)
    off = make_cohort("Sans suivi", stalled_after_days=0)
    usual = make_cohort("Usuelle")
    thirty = followed(short, entered_at=paris(ENTERED))
    followed(off, entered_at=paris(ENTERED))
    not_yet = followed(usual, entered_at=paris(ENTERED))
    paused = followed(usual, entered_at=paris(ENTERED))
    assert change_stage(paused.accompaniment, "pause", paused.referent).stage == Stage.PAUSED
    type(paused.accompaniment).objects.filter(pk=paused.accompaniment.pk).update(
        stage_entered_at=paris(ENTERED)
    )

    scan_at(paris(ENTERED + datetime.timedelta(days=30)), "stage_stalled")

    assert sent("stage_stalled") == [(thirty.accompaniment.pk, thirty.referent.pk)]
    assert not Reminder.objects.filter(object_id=not_yet.accompaniment.pk).exists()


def test_without_a_referent_the_cohorts_referents_hear_of_it():
    cohort = make_cohort()
    first, second = factories.StaffFactory(), factories.StaffFactory()
    cohort.referents.set([first, second])
    world = followed(cohort, referent=False, entered_at=paris(ENTERED))

    scan_at(paris(SIXTY_DAYS_ON), "stage_stalled")

    assert sent("stage_stalled") == sorted(
        [(world.accompaniment.pk, first.pk), (world.accompaniment.pk, second.pk)]
    )
