"""The bell is fed by the same events as the dossier's e-mails: transitions, new deadlines and
decision letters (dated when they go); and the topics people see on their preferences page."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from applications.domain import deliberation, letters
from applications.domain.dossiers import change_state
from applications.domain.extensions import grant_extension
from applications.models import DecisionLetter
from tests import factories
from tests.applications.jury.test_deliberation_support import under_review
from tests.applications.reminders.conftest import paris
from workers import preferences
from workers.models import Delivery, Notification, OutboxMessage

pytestmark = pytest.mark.django_db


def bell(user):
    return list(Notification.objects.filter(recipient=user).order_by("pk"))


def test_a_transition_puts_its_e_mail_in_each_acting_member_s_bell(dossier, team, staff):
    owner, editor, viewer = team
    dossier = change_state(dossier, "submit", owner)

    for member in (owner, editor):
        [entry] = bell(member)
        assert entry.topic == "dossier_news"
        assert entry.text == (
            f"The dossier {dossier.reference} for “{dossier.call.title}” is submitted"
        )
        assert entry.link == reverse("applications:dossier", args=[dossier.pk])
        assert (entry.about, entry.within) == (
            f"dossier:{dossier.pk}",
            f"structure:{dossier.structure_id}",
        )
        assert entry.email == OutboxMessage.objects.get(
            to=member.email, key__startswith=f"dossier:{dossier.pk}:transition:"
        )
    assert bell(viewer) == []

    change_state(dossier, "request_info", staff, "Please add your budget.")
    assert bell(owner)[-1].text == (
        "The programme team asks for more information on the dossier "
        f"{dossier.reference} for “{dossier.call.title}”"
    )


def test_a_resubmission_says_so(dossier, owner, staff):
    dossier = change_state(dossier, "submit", owner)
    dossier = change_state(dossier, "request_info", staff, "Please add your budget.")
    change_state(dossier, "submit", owner)
    assert bell(owner)[-1].text.endswith("is submitted again")


def test_a_new_deadline_is_in_the_bell(closing_call, structure, owner, staff):
    dossier = factories.make_dossier(call=closing_call, structure=structure)
    with time_machine.travel(paris(2027, 2, 5, 10), tick=False):
        grant_extension(dossier, paris(2027, 2, 15, 17), staff, "A fire in the office.")

    [entry] = bell(owner)
    assert entry.text == (
        f"The dossier {dossier.reference} for “{closing_call.title}” can be submitted until "
        "15 February 2027 at 17:00 (Paris time)"
    )
    assert entry.email.key.startswith(f"dossier:{dossier.pk}:extension:")


def decided(staff):
    call = factories.make_call()
    dossier = deliberation.shortlist(under_review(call, staff), staff)
    dossier = deliberation.decide(dossier, "select", staff, "A clear rationale.")
    member = dossier.structure.memberships.get().user
    return call, dossier, member


def letter_bell(member):
    return [entry for entry in bell(member) if "decision letter" in entry.text]


def test_a_released_letter_is_in_the_bell_at_once(staff):
    call, dossier, member = decided(staff)
    letters.prepare_letters(call, staff)
    assert letter_bell(member) == []  # a held draft tells nobody

    letters.release_letters(call, staff)

    [entry] = letter_bell(member)
    assert entry.text == (
        f"The decision letter on the dossier {dossier.reference} for “{call.title}” is out"
    )
    assert entry.email.key.startswith(f"decision-letter:{dossier.decision_letter.pk}:")
    assert entry.created_at <= timezone.now()


def test_a_scheduled_letter_is_dated_when_it_goes_and_taken_back_with_it(staff):
    call, _dossier, member = decided(staff)
    letters.prepare_letters(call, staff)
    moment = timezone.now() + timedelta(days=1)

    letters.release_letters(call, staff, moment)
    [entry] = letter_bell(member)
    assert entry.created_at == moment

    letter = DecisionLetter.objects.get()
    letters.edit_letter(letter, staff, subject="Corrected", body="Corrected body.")
    [entry] = letter_bell(member)
    assert entry.created_at == moment
    assert entry.email.subject == "Corrected"

    letters.cancel_release(call, staff)
    assert letter_bell(member) == []


def test_the_dossier_topics_are_shown_to_members_who_act_and_stay_on(team):
    owner, _editor, viewer = team
    outsider = factories.UserFactory()

    shown = {topic.name for topic in preferences.topics_for(owner)}
    assert {"dossier_deadlines", "dossier_news"} <= shown
    assert "dossier_deadlines" not in {topic.name for topic in preferences.topics_for(viewer)}
    assert "dossier_deadlines" not in {topic.name for topic in preferences.topics_for(outsider)}

    preferences.choose(owner, "dossier_deadlines", Delivery.OFF)
    assert preferences.choices_of(owner) == {"dossier_deadlines": Delivery.IMMEDIATE}
