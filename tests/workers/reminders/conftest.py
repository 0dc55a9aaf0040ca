"""A throwaway rule over people, so the engine is tested apart from the rooms' rules: it reminds
every active person whose last name starts with "Due" (the reason), once per occasion."""

from dataclasses import dataclass

import pytest

from workers import reminders
from workers.reminders import Notice, Rule, Topic, planned


@dataclass
class Probe:
    """The throwaway rule's knobs: the occasion planned, and a failure to inject."""

    occasion: str = "first"
    fail_on_notice: bool = False


@pytest.fixture
def probe(django_user_model):
    probe = Probe()

    def plan(now):
        people = django_user_model.objects.filter(is_active=True, last_name__startswith="Due")
        return [
            planned(people, object_id="pk", recipient_id="pk", occasion=probe.occasion, due_at=now)
        ]

    def pending(batch):
        still = set(
            django_user_model.objects.filter(
                pk__in=[r.object_id for r in batch], is_active=True, last_name__startswith="Due"
            ).values_list("pk", flat=True)
        )
        return {r.pk: {"name": r.recipient.last_name} for r in batch if r.object_id in still}

    def notice(reminder, context):
        if probe.fail_on_notice:
            raise RuntimeError("The worker died while preparing the batch")
        return Notice(
            text=f"Probe for {context['name']}",
            link="/notifications/",
            template="workers/email/digest",
            context={"items": [{"text": context["name"], "link": "/"}]},
            about=f"person:{reminder.object_id}",
        )

    reminders.register_topic(Topic("probe_topic", "Probe", essential=False))
    reminders.register_topic(Topic("probe_essential", "Probe essential", essential=True))
    reminders.register(Rule("probe", "probe_topic", plan, pending, notice, scheduled=False))
    reminders.register(
        Rule("probe_essential", "probe_essential", plan, pending, notice, scheduled=False)
    )
    yield probe
    reminders.unregister("probe")
    reminders.unregister("probe_essential")
