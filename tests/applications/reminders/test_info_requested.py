"""Reminders of a request for information left unanswered: 5 days after it was made, then 2 days
before the reply date, at 9:00 Paris time, to the members who act for the structure."""

from datetime import date, timedelta

import pytest
import time_machine

from applications.domain.dossiers import change_state
from applications.domain.info_requests import request_info
from tests import factories
from tests.applications.reminders.conftest import paris, scan_at, sent
from workers import reminders
from workers.models import Notification, OutboxMessage, Reminder, ReminderStatus

pytestmark = pytest.mark.django_db
RULE = "info_requested"
MINUTE = timedelta(minutes=1)


def submitted(call, structure, owner):
    dossier = factories.make_dossier(call=call, structure=structure)
    with time_machine.travel(paris(2027, 2, 1, 12), tick=False):
        return change_state(dossier, "submit", owner)


def asked(dossier, staff, moment, reply_by, comment="Please add your budget."):
    with time_machine.travel(moment, tick=False):
        dossier = request_info(dossier, staff, comment, reply_by)
    return dossier, dossier.transitions.get(name="request_info", at=moment).pk


@pytest.fixture
def waiting(closing_call, structure, team, staff):
    """A dossier asked on Monday 15 February 2027 at 10:00 to reply by Monday 1 March."""
    owner = team[0]
    dossier = submitted(closing_call, structure, owner)
    return asked(dossier, staff, paris(2027, 2, 15, 10), date(2027, 3, 1))


def test_the_request_keeps_when_it_was_made_and_the_reply_date(waiting):
    dossier, _request = waiting
    assert dossier.info_requested_at == paris(2027, 2, 15, 10)
    assert dossier.info_reply_due_at == paris(2027, 3, 1, 23, 59)


def test_five_days_after_then_two_days_before_the_reply_date(waiting, team):
    dossier, request = waiting
    owner, editor, viewer = team

    assert scan_at(paris(2027, 2, 20, 8, 59), RULE) == 0
    assert scan_at(paris(2027, 2, 20, 9), RULE) == 2
    assert scan_at(paris(2027, 2, 20, 9), RULE) == 0
    assert scan_at(paris(2027, 2, 21, 9), RULE) == 0
    assert sent(RULE) == {(f"after@{request}", owner.pk), (f"after@{request}", editor.pk)}

    assert scan_at(paris(2027, 2, 27, 8, 59), RULE) == 0
    assert scan_at(paris(2027, 2, 27, 9), RULE) == 2
    assert scan_at(paris(2027, 2, 28, 9), RULE) == 0
    # The reply date passed: no more reminders.
    assert scan_at(paris(2027, 3, 2, 9), RULE) == 0
    assert {o for o, _r in sent(RULE)} == {f"after@{request}", f"before@{request}"}
    assert not Reminder.objects.filter(recipient=viewer).exists()

    message = OutboxMessage.objects.filter(to=owner.email, key__contains=f":before@{request}").get()
    assert message.subject == f"Dossier {dossier.reference}: your reply is expected by 1 March 2027"
    assert "Please add your budget." in message.body_text
    assert "Please reply by 1 March 2027." in message.body_text
    bell = Notification.objects.get(recipient=owner, reminder__occasion=f"before@{request}")
    assert bell.text == (
        f"Your reply on the dossier {dossier.reference} for “{dossier.call.title}” is expected "
        "by 1 March"
    )
    assert bell.about == f"dossier:{dossier.pk}"


def test_a_reply_ends_the_reminders_even_those_already_planned(waiting, team):
    dossier, request = waiting
    owner = team[0]
    with time_machine.travel(paris(2027, 2, 20, 9), tick=False):
        reminders.plan_rule(reminders.rules()[RULE], reminders.timezone.now())
        change_state(dossier, "submit", owner)
        assert reminders.send_due() == 0

    assert set(Reminder.objects.values_list("status", flat=True)) == {ReminderStatus.DROPPED}
    assert scan_at(paris(2027, 2, 27, 9), RULE) == 0


def test_a_new_request_gets_reminders_of_its_own(waiting, team, staff):
    dossier, first = waiting
    owner = team[0]
    scan_at(paris(2027, 2, 20, 9), RULE)
    with time_machine.travel(paris(2027, 2, 22, 10), tick=False):
        dossier = change_state(dossier, "submit", owner)
    dossier, second = asked(dossier, staff, paris(2027, 2, 23, 10), date(2027, 3, 20))

    assert scan_at(paris(2027, 2, 28, 9), RULE) == 2
    assert {o for o, r in sent(RULE) if r == owner.pk} == {f"after@{first}", f"after@{second}"}


def test_when_the_reply_date_is_near_only_the_reminder_before_it_goes(
    closing_call, structure, team, staff
):
    owner, editor, _viewer = team
    dossier = submitted(closing_call, structure, owner)
    dossier, request = asked(dossier, staff, paris(2027, 2, 15, 10), date(2027, 2, 19))

    assert scan_at(paris(2027, 2, 17, 8, 59), RULE) == 0
    assert scan_at(paris(2027, 2, 17, 9), RULE) == 2
    # Day 5 comes after the reply date: nothing more.
    assert scan_at(paris(2027, 2, 20, 9), RULE) == 0
    assert sent(RULE) == {(f"before@{request}", owner.pk), (f"before@{request}", editor.pk)}


def test_a_call_sets_its_own_offsets(structure, team, staff):
    owner = team[0]
    call = factories.make_call(
        opens_at=paris(2027, 1, 4, 9),
        closes_at=paris(2027, 2, 10, 17),
        remind_info_after_days=0,
        remind_info_before_days=4,
    )
    dossier = submitted(call, structure, owner)
    dossier, request = asked(dossier, staff, paris(2027, 2, 15, 10), date(2027, 3, 1))

    assert scan_at(paris(2027, 2, 20, 9), RULE) == 0
    assert scan_at(paris(2027, 2, 25, 8, 59), RULE) == 0
    assert scan_at(paris(2027, 2, 25, 9), RULE) == 2
    assert {o for o, _r in sent(RULE)} == {f"before@{request}"}


@pytest.mark.parametrize("count", [1, 20])
def test_the_scan_costs_the_same_queries_for_one_request_or_twenty(
    closing_call, staff, count, django_assert_num_queries
):
    for _n in range(count):
        structure = factories.StructureFactory()
        owner = factories.MembershipFactory(structure=structure, role="owner").user
        dossier = submitted(closing_call, structure, owner)
        asked(dossier, staff, paris(2027, 2, 15, 10), date(2027, 3, 1))

    with time_machine.travel(paris(2027, 2, 20, 9), tick=False), django_assert_num_queries(15):
        assert reminders.scan(names={RULE}) == {RULE: count}
