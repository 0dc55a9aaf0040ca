"""The bell is fed by the same events as the e-mails: each e-mail a move of the journey, of an
obstacle or of an impact report, or a join request, queues to a person has its notification,
about the object, within the structure, linked to the e-mail; the invitation (a secret link) has
none."""

import pytest
from django.utils import timezone

from accelerator.domain import members
from accelerator.domain.impact_reports import change_report_state
from accelerator.domain.journey import change_stage
from accelerator.domain.obstacles import change_obstacle_state, report_obstacle
from accelerator.models import ImpactPlan
from tests import factories
from tests.accelerator.reminders.world import followed, report
from tests.accelerator.test_journey_transitions import fulfil
from workers.models import Notification

pytestmark = pytest.mark.django_db


def bell_of(user):
    return list(Notification.objects.filter(recipient=user).select_related("email"))


def test_a_stage_change_rings_for_the_structures_owners_and_editors():
    world = followed()
    fulfil(world.accompaniment, "start_labelling")
    change_stage(world.accompaniment, "start_labelling", world.referent, "Bravo")

    structure = world.accompaniment.structure
    for person in (world.owner, world.editor):
        (bell,) = bell_of(person)
        assert bell.text == f"{structure.name} moves to “Labelling”"
        assert bell.about == f"accompaniment:{world.accompaniment.pk}"
        assert bell.within == f"structure:{structure.pk}"
        assert bell.link == f"/structures/{structure.pk}/journey/"
        assert bell.email.to == person.email and bell.email.key.startswith("stage-changed:")
        assert bell.topic == "structure_deadlines"
    assert bell_of(world.viewer) == [] and bell_of(world.referent) == []


def test_the_bell_speaks_the_recipients_language():
    world = followed()
    world.owner.language = "fr"
    world.owner.save()
    fulfil(world.accompaniment, "start_labelling")
    change_stage(world.accompaniment, "start_labelling", world.referent)

    (bell,) = bell_of(world.owner)
    assert (
        bell.text == f"{world.accompaniment.structure.name} passe à l'étape «\xa0Labellisation\xa0»"
    )


def test_an_obstacle_move_rings_for_the_structure():
    world = followed()
    obstacle = report_obstacle(world.accompaniment, world.editor, "Décret 2021-1", "L'ouverture")
    change_obstacle_state(obstacle, "review", world.referent, "Nous regardons")

    (bell,) = bell_of(world.owner)
    assert bell.about == f"obstacle:{obstacle.pk}"
    assert bell.link == f"/obstacles/{obstacle.pk}/"
    assert bell.email.key.startswith("obstacle-moved:")
    assert "Under review" in bell.text
    # The editor reported it: told too, as the e-mail does.
    assert len(bell_of(world.editor)) == 1


def test_a_submitted_report_rings_for_the_referent_and_a_decision_for_the_structure():
    world = followed()
    item = report(world.accompaniment, timezone.localdate())
    now = timezone.now()
    ImpactPlan.objects.create(
        accompaniment=world.accompaniment, structure_agreed_at=now, staff_agreed_at=now
    )
    item = change_report_state(item, "submit", world.editor)

    (bell,) = bell_of(world.referent)
    assert bell.topic == "followup"
    assert (bell.about, bell.link) == (f"impact_report:{item.pk}", f"/impact-reports/{item.pk}/")
    assert bell.email.key.startswith("impact-report-moved:")

    change_report_state(item, "validate", world.referent)
    (bell,) = bell_of(world.owner)
    assert bell.topic == "structure_deadlines"
    assert "is now “Validated”" in bell.text
    # The editor who submitted hears of the decision; never of their own move.
    assert len(bell_of(world.editor)) == 1


def test_a_join_request_rings_for_the_owners_and_the_answer_for_the_requester():
    world = followed()
    requester = factories.UserFactory()
    join_request = members.request_to_join(world.accompaniment.structure, requester)

    (bell,) = bell_of(world.owner)
    structure = world.accompaniment.structure
    assert bell.text == f"{requester.display_name} asks to join {structure.name}"
    assert bell.link == f"/structures/{structure.pk}/members/"
    assert bell.about == f"join_request:{join_request.pk}"
    assert bell_of(world.editor) == []

    members.decide_join_request(join_request, world.owner, accept=True, role="editor")
    (answer,) = bell_of(requester)
    assert answer.text == f"You have joined {structure.name}"
    assert answer.link == f"/structures/{structure.pk}/"
    assert answer.email.to == requester.email


def test_an_invitation_leaves_the_bell_alone():
    world = followed()
    invitee = factories.UserFactory()
    members.invite_member(world.accompaniment.structure, world.owner, invitee.email, "editor")
    assert not Notification.objects.exists()
