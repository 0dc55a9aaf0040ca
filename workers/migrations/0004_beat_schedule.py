"""Beat's schedule, in the database so that staff see and change it in the admin.

Created once, never overwritten: a later deploy keeps what staff changed. Times in Paris.
"""

import json

from django.db import migrations

TIME_ZONE = "Europe/Paris"
# name: (task, crontab (minute, hour, day_of_week) or seconds, args, description)
SCHEDULE = {
    "Outbox: send what waits": (
        "workers.tasks.flush_outbox",
        60,
        [],
        "Sends what was queued while the broker was down, and retries failed deliveries.",
    ),
    "Reminders: scan": (
        "workers.tasks.scan_reminders",
        ("*/5", "*", "*"),
        [],
        "Plans and sends the reminders that are due (deadlines, reviews, milestones, reports).",
    ),
    "Reminders: daily digests": (
        "workers.tasks.send_digests",
        ("0", "8", "*"),
        [],
        "One e-mail to each person who chose to receive routine reminders once a day.",
    ),
    "Reminders: staff weekly digest": (
        "workers.tasks.scan_reminders",
        ("0", "8", "1"),
        ["staff_weekly_digest"],
        "Monday at 8:00: new dossiers, pending reviews, overdue milestones and reports, "
        "stalled structures and obstacles waiting.",
    ),
    "Sessions: clear expired": (
        "workers.tasks.clear_expired_sessions",
        ("30", "3", "*"),
        [],
        "Removes expired sessions from the database.",
    ),
}


def create_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    for name, (task, when, args, description) in SCHEDULE.items():
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        if isinstance(when, int):
            interval, _ = IntervalSchedule.objects.get_or_create(every=when, period="seconds")
            timing = {"interval": interval}
        else:
            minute, hour, day_of_week = when
            crontab, _ = CrontabSchedule.objects.get_or_create(
                minute=minute,
                hour=hour,
                day_of_week=day_of_week,
                day_of_month="*",
                month_of_year="*",
                timezone=TIME_ZONE,
            )
            timing = {"crontab": crontab}
        PeriodicTask.objects.create(
            name=name, task=task, args=json.dumps(args), description=description, **timing
        )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        name__in=list(SCHEDULE)
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("workers", "0003_reminders_and_notifications"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
