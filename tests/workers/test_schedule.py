"""Beat's schedule lives in the database (django-celery-beat), in Paris time: the rows created by
workers/migrations/0004_beat_schedule.py, read by the DatabaseScheduler configured in settings."""

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from workers.celery import app as celery_app
from workers.tasks import clear_expired_sessions, flush_outbox, scan_reminders, send_digests

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("beat_schedule")]
PARIS = ZoneInfo("Europe/Paris")
# name: (task, (minute, hour, day_of_week), args); the flush runs on an interval instead.
CRONTABS = {
    "Reminders: scan": (scan_reminders.name, ("*/5", "*", "*"), []),
    "Reminders: daily digests": (send_digests.name, ("0", "8", "*"), []),
    "Reminders: staff weekly digest": (
        scan_reminders.name,
        ("0", "8", "1"),
        ["staff_weekly_digest"],
    ),
    "Sessions: clear expired": (clear_expired_sessions.name, ("30", "3", "*"), []),
}


def entry(name):
    return PeriodicTask.objects.select_related("crontab", "interval").get(name=name)


def next_run(name, now):
    """When beat's entry `name` runs next after `now`, in UTC."""
    with time_machine.travel(now, tick=False):
        return (now + entry(name).schedule.remaining_estimate(now)).astimezone(UTC)


def test_the_beat_scheduler_is_the_database_one():
    assert celery_app.conf.beat_scheduler == "django_celery_beat.schedulers:DatabaseScheduler"
    assert celery_app.conf.timezone == "Europe/Paris"


def test_the_outbox_flush_runs_every_minute_on_an_interval_not_a_crontab():
    flush = entry("Outbox: send what waits")

    assert flush.task == flush_outbox.name
    assert flush.crontab is None
    assert flush.interval.schedule.run_every == timedelta(minutes=1)


@pytest.mark.parametrize("name", list(CRONTABS))
def test_every_beat_entry_exists_with_its_crontab_in_paris_time(name):
    task, (minute, hour, day_of_week), args = CRONTABS[name]
    periodic = entry(name)

    assert periodic.task == task
    assert periodic.enabled
    assert json.loads(periodic.args) == args
    crontab = periodic.crontab
    assert (crontab.minute, crontab.hour, crontab.day_of_week) == (minute, hour, day_of_week)
    assert (crontab.day_of_month, crontab.month_of_year) == ("*", "*")
    assert str(crontab.timezone) == "Europe/Paris"
    assert periodic.description


def test_the_schedule_holds_nothing_else(beat_schedule):
    names = set(PeriodicTask.objects.values_list("name", flat=True))

    assert names == set(beat_schedule) == {"Outbox: send what waits", *CRONTABS}


@pytest.mark.parametrize(
    ("sunday_noon", "monday_eight_utc"),
    [
        # Winter time (UTC+1), then the first Monday of summer time (UTC+2).
        (datetime(2026, 3, 22, 12, tzinfo=UTC), datetime(2026, 3, 23, 7, tzinfo=UTC)),
        (datetime(2026, 3, 29, 12, tzinfo=UTC), datetime(2026, 3, 30, 6, tzinfo=UTC)),
        # The last Monday of summer time, then the first of winter time.
        (datetime(2026, 10, 18, 12, tzinfo=UTC), datetime(2026, 10, 19, 6, tzinfo=UTC)),
        (datetime(2026, 10, 25, 12, tzinfo=UTC), datetime(2026, 10, 26, 7, tzinfo=UTC)),
    ],
)
def test_the_weekly_digest_goes_on_monday_at_eight_paris_time_in_summer_and_winter(
    sunday_noon, monday_eight_utc
):
    assert next_run("Reminders: staff weekly digest", sunday_noon) == monday_eight_utc
    assert monday_eight_utc.astimezone(PARIS).strftime("%A %H:%M") == "Monday 08:00"


@pytest.mark.parametrize(
    ("evening", "eight_utc"),
    [
        (datetime(2026, 1, 14, 20, tzinfo=UTC), datetime(2026, 1, 15, 7, tzinfo=UTC)),
        (datetime(2026, 7, 14, 20, tzinfo=UTC), datetime(2026, 7, 15, 6, tzinfo=UTC)),
        # Saturday evening: the digests go on Sunday too.
        (datetime(2026, 3, 28, 20, tzinfo=UTC), datetime(2026, 3, 29, 6, tzinfo=UTC)),
    ],
)
def test_the_daily_digests_go_every_day_at_eight_paris_time(evening, eight_utc):
    assert next_run("Reminders: daily digests", evening) == eight_utc


def test_the_reminder_scan_runs_every_five_minutes():
    now = datetime(2026, 3, 29, 0, 58, 20, tzinfo=UTC)  # just before the change to summer time
    runs = []
    for _ in range(4):
        now = next_run("Reminders: scan", now)
        runs.append(now)
        now += timedelta(seconds=1)

    assert [run.strftime("%H:%M") for run in runs] == ["01:00", "01:05", "01:10", "01:15"]


def test_the_database_scheduler_reads_the_entries_that_are_due_soon():
    # Monday 7:59 in Paris: the weekly digest and the daily digests come within the minute.
    monday = datetime(2026, 6, 1, 7, 59, tzinfo=PARIS)
    with time_machine.travel(monday, tick=False):
        scheduler = DatabaseScheduler(app=celery_app, lazy=True)
        schedule = scheduler.all_as_schedule()
        for name in ("Reminders: staff weekly digest", "Reminders: daily digests"):
            assert schedule[name].schedule.remaining_estimate(monday) == timedelta(minutes=1)
        assert schedule["Reminders: staff weekly digest"].args == ["staff_weekly_digest"]
    assert {"Outbox: send what waits", "Reminders: scan"} <= set(schedule)
