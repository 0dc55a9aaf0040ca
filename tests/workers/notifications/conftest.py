"""Throwaway topics and a throwaway rule, so that the notification pages are tested apart from the
rooms' own rules: the rule reminds every active person whose last name starts with "Remind"."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import UserFactory
from tests.workers.notifications import ESSENTIAL, ROUTINE
from workers import reminders
from workers.models import Notification
from workers.reminders import Notice, Rule, Topic, planned


@pytest.fixture
def topics(django_user_model):
    """A routine topic (with a rule, so that it sends e-mails) and an essential one."""

    def plan(now):
        people = django_user_model.objects.filter(is_active=True, last_name__startswith="Remind")
        return [planned(people, object_id="pk", recipient_id="pk", occasion="once", due_at=now)]

    def pending(batch):
        return {reminder.pk: {"structure_name": "L'Atelier"} for reminder in batch}

    def notice(reminder, context):
        return Notice(
            text=f"A reminder for {reminder.recipient.email}",
            link="/notifications/",
            template="tests_workers/notice",
            context=context,
            about=f"dossier:{reminder.object_id}",
            within="structure:7",
        )

    reminders.register_topic(Topic(ROUTINE, "Routine news", help_text="Now and then."))
    reminders.register_topic(Topic(ESSENTIAL, "Your own deadlines", essential=True))
    reminders.register(Rule("ui_rule", ROUTINE, plan, pending, notice, scheduled=False))
    reminders.register(Rule("ui_essential_rule", ESSENTIAL, plan, pending, notice, scheduled=False))
    yield {ROUTINE: reminders.topics()[ROUTINE], ESSENTIAL: reminders.topics()[ESSENTIAL]}
    reminders.unregister("ui_rule")
    reminders.unregister("ui_essential_rule")


@pytest.fixture
def person(db):
    return UserFactory()


@pytest.fixture
def make_notifications(db):
    def make(recipient, count=1, *, text="Notice", link="/me/", topic=ROUTINE, **fields):
        """`count` notifications for `recipient`, the newest last."""
        now = timezone.now()
        return Notification.objects.bulk_create(
            [
                Notification(
                    recipient=recipient,
                    topic=topic,
                    text=f"{text} {n}",
                    link=link,
                    created_at=now - timedelta(minutes=count - n),
                    **fields,
                )
                for n in range(count)
            ]
        )

    return make
