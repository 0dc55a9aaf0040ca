"""The one transition runner, on each machine: a stale copy is refused, one log row per
transition in one shape, the bulk path goes through the same permission, conditions, log and
notices, and a concurrent write is a refusal with the machine's message."""

import dataclasses

import pytest
from django.core.exceptions import PermissionDenied

from accelerator.domain import transitions
from accelerator.domain.journey import JOURNEY, change_stage
from accelerator.domain.obstacles import OBSTACLE, change_obstacle_state, report_obstacle
from accelerator.domain.transitions import TransitionRefused, run, run_many
from accelerator.models import (
    Accompaniment,
    AccompanimentTransition,
    ObstacleEvent,
    RegulatoryObstacle,
    Stage,
    TransitionLog,
)
from applications.domain.dossiers import DOSSIER, change_state, change_states
from applications.models import Dossier, DossierState, DossierTransition
from tests.accelerator.test_journey_transitions import make_accompaniment
from tests.applications.jury.test_assignment_support import eligible_dossiers
from tests.applications.staff_support import submitted_dossier

pytestmark = pytest.mark.django_db

LOGS = [DossierTransition, AccompanimentTransition, ObstacleEvent]


@pytest.fixture
def variants(monkeypatch):
    """Declare machines for one test only: the registry is restored afterwards."""
    monkeypatch.setattr(transitions, "MACHINES", dict(transitions.MACHINES))
    return lambda machine, **fields: dataclasses.replace(machine, **fields)


def an_obstacle(structure, staff):
    return report_obstacle(make_accompaniment(structure), staff, "Code rural, art. 3", "Un hangar.")


# --- a stale copy: a move chosen from a state the row has left


def test_a_stale_dossier_is_refused(dossier, owner, staff):
    change_state(dossier, "submit", owner)
    stale = Dossier.objects.get(pk=dossier.pk)
    change_state(dossier, "mark_eligible", staff)
    # Withdrawing is possible from the row's state (eligible) too, but was chosen from "submitted".
    with pytest.raises(TransitionRefused) as refused:
        change_state(stale, "withdraw", owner, "Nous renonçons.")
    assert refused.value.messages == [
        "This dossier is “Eligible”: it cannot be changed this way now."
    ]
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.ELIGIBLE
    assert not DossierTransition.objects.filter(name="withdraw").exists()


def test_a_stale_accompaniment_is_refused(manager):
    accompaniment = make_accompaniment()
    stale = Accompaniment.objects.get(pk=accompaniment.pk)
    change_stage(accompaniment, "pause", manager)
    with pytest.raises(TransitionRefused) as refused:
        change_stage(stale, "exit", manager, reason="Projet arrêté.")
    assert refused.value.messages == [
        "This structure is in “Paused”: it cannot be moved this way now."
    ]
    assert Accompaniment.objects.get(pk=accompaniment.pk).stage == Stage.PAUSED
    assert not AccompanimentTransition.objects.filter(name="exit").exists()


def test_a_stale_obstacle_is_refused(structure, staff):
    obstacle = an_obstacle(structure, staff)
    stale = RegulatoryObstacle.objects.get(pk=obstacle.pk)
    change_obstacle_state(obstacle, "review", staff, "Vu.")
    with pytest.raises(TransitionRefused) as refused:
        change_obstacle_state(stale, "close", staff, "Hors champ.")
    assert refused.value.messages == [
        "This obstacle is “Under review”: it cannot be moved this way now."
    ]
    assert ObstacleEvent.objects.filter(obstacle=obstacle).count() == 1


def test_a_move_its_copy_does_not_offer_is_judged_on_the_row(open_call, staff):
    # The copy shows "submitted": starting the review was not chosen from it.
    dossier = submitted_dossier(open_call)
    change_state(Dossier.objects.get(pk=dossier.pk), "mark_eligible", staff)
    assert change_state(dossier, "start_review", staff).state == DossierState.UNDER_REVIEW


def test_the_caller_may_go_on_with_its_own_copy(open_call, staff):
    dossier = submitted_dossier(open_call)
    returned = change_state(dossier, "mark_eligible", staff)
    assert returned.state == DossierState.ELIGIBLE
    # The copy keeps what it was read with, but its caller knows of its own transition.
    assert dossier.state == DossierState.SUBMITTED
    change_state(dossier, "start_review", staff)
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.UNDER_REVIEW
    # Read again, it is the row's copy as any other.
    dossier.refresh_from_db()
    assert change_state(dossier, "shortlist", staff).state == DossierState.SHORTLISTED


# --- one log row per transition, one shape of log


def test_one_log_row_per_transition_on_each_machine(open_call, structure, staff, manager):
    dossier = submitted_dossier(open_call)
    change_state(dossier, "request_info", staff, "Vos comptes, svp.")
    accompaniment = make_accompaniment()
    before = accompaniment.transitions.count()
    change_stage(accompaniment, "exit", manager, reason="Projet arrêté.")
    obstacle = an_obstacle(structure, staff)
    change_obstacle_state(obstacle, "close", staff, "  Hors champ.  ")

    logged = [
        list(dossier.transitions.values_list("name", "source", "target", "actor", "comment")),
        list(
            AccompanimentTransition.objects.filter(accompaniment=accompaniment)
            .order_by("pk")[before:]
            .values_list("name", "source", "target", "actor", "comment")
        ),
        list(obstacle.events.values_list("name", "source", "target", "actor", "comment")),
    ]
    submitter = dossier.transitions.first().actor_id
    assert logged == [
        [
            ("submit", "draft", "submitted", submitter, ""),
            ("request_info", "submitted", "info_requested", staff.pk, "Vos comptes, svp."),
        ],
        [("exit", "sourcing", "exited", manager.pk, "Projet arrêté.")],
        [("close", "reported", "closed", staff.pk, "Hors champ.")],
    ]


def test_a_refused_transition_writes_no_log(open_call, staff):
    dossier = submitted_dossier(open_call)
    with pytest.raises(TransitionRefused):
        change_state(dossier, "mark_ineligible", staff, "  ")
    assert list(dossier.transitions.values_list("name", flat=True)) == ["submit"]


def shape(log_model):
    subject = log_model.subject_field
    return [
        (f.name, type(f).__name__, f.max_length, f.null, f.blank)
        for f in sorted(log_model._meta.concrete_fields, key=lambda f: f.name)
        if f.name not in ("id", subject)
    ]


def test_the_three_logs_have_one_shape():
    assert all(issubclass(log, TransitionLog) for log in LOGS)
    assert shape(DossierTransition) == shape(AccompanimentTransition) == shape(ObstacleEvent)
    assert {tuple(log._meta.ordering) for log in LOGS} == {("at", "pk")}
    related = {
        log: log._meta.get_field(log.subject_field).remote_field.related_name for log in LOGS
    }
    assert related == {
        DossierTransition: "transitions",
        AccompanimentTransition: "transitions",
        ObstacleEvent: "events",
    }


def test_a_log_reads_as_its_subject_and_move(open_call, staff):
    dossier = change_state(submitted_dossier(open_call), "mark_eligible", staff)
    log = dossier.transitions.last()
    assert str(log) == f"{dossier.pk}: submitted → eligible"


# --- permission


def test_permission_is_asked_on_each_machine(open_call, structure, owner, staff):
    dossier = submitted_dossier(open_call)
    accompaniment = make_accompaniment(structure)
    obstacle = report_obstacle(accompaniment, owner, "Code rural", "Un hangar.")
    with pytest.raises(PermissionDenied):
        change_state(dossier, "mark_eligible", owner)
    with pytest.raises(PermissionDenied):
        change_stage(accompaniment, "pause", owner)
    with pytest.raises(PermissionDenied):
        change_obstacle_state(obstacle, "review", owner, "Vu.")
    with pytest.raises(PermissionDenied):
        change_states([dossier], "start_review", owner)
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.SUBMITTED
    assert Accompaniment.objects.get(pk=accompaniment.pk).stage == Stage.SOURCING
    assert RegulatoryObstacle.objects.get(pk=obstacle.pk).state == "reported"
    assert not ObstacleEvent.objects.exists()


def test_an_unknown_transition_is_a_programming_error(structure, staff, manager):
    accompaniment = make_accompaniment(structure)
    with pytest.raises(ValueError):
        change_stage(accompaniment, "delete", manager)
    with pytest.raises(ValueError):
        change_obstacle_state(an_obstacle(structure, staff), "delete", staff, "x")
    with pytest.raises(ValueError):
        change_stage(accompaniment, "pause", manager, reason="no reason to give")


def test_a_comment_is_asked_before_the_state_is_read(structure, staff):
    # A move without a comment is refused for its comment, even a move the state forbids.
    obstacle = an_obstacle(structure, staff)
    with pytest.raises(TransitionRefused) as refused:
        change_obstacle_state(obstacle, "resolve", staff, " ")
    assert refused.value.messages == ["Please add a comment: it tells the structure what happened."]


# --- many at once


def test_the_bulk_path_asks_each_dossier_its_conditions_and_logs_the_others(
    open_call, staff, variants
):
    dossiers = eligible_dossiers(open_call, staff, 3)
    kept = dossiers[1]
    noticed = []
    machine = variants(
        DOSSIER,
        conditions={
            "start_review": [
                lambda dossier, actor, comment, data: ["Not now."] if dossier.pk == kept.pk else []
            ]
        },
        notify=lambda dossier, log: noticed.append((dossier.pk, log.pk)),
    )

    changed, refused = run_many(machine, dossiers, "start_review", staff, "Jury formé.")

    assert sorted(d.pk for d in changed) == sorted(d.pk for d in dossiers if d != kept)
    assert refused == {kept.pk: ["Not now."]}
    assert Dossier.objects.get(pk=kept.pk).state == DossierState.ELIGIBLE
    logs = DossierTransition.objects.filter(name="start_review")
    assert sorted(logs.values_list("dossier", "comment", "actor")) == sorted(
        (d.pk, "Jury formé.", staff.pk) for d in changed
    )
    assert sorted(noticed) == sorted(logs.values_list("dossier", "pk"))


def test_the_bulk_path_asks_requirements_and_refuses_a_stale_copy(open_call, staff, variants):
    fresh, stale = eligible_dossiers(open_call, staff, 2)
    change_state(Dossier.objects.get(pk=stale.pk), "start_review", staff)
    machine = variants(
        DOSSIER,
        requirements={
            "start_review": [lambda dossier, actor, comment, data: [] if comment else ["Say why."]]
        },
    )

    assert run_many(machine, [fresh, stale], "start_review", staff) == (
        [],
        {fresh.pk: ["Say why."], stale.pk: ["Say why."]},
    )
    changed, refused = run_many(machine, [fresh, stale], "start_review", staff, "Go.")
    assert [d.pk for d in changed] == [fresh.pk]
    assert refused == {
        stale.pk: ["This dossier is “Under review”: it cannot be changed this way now."]
    }
    assert DossierTransition.objects.filter(name="start_review").count() == 2


def test_only_a_bulk_transition_runs_on_many(open_call, staff):
    with pytest.raises(ValueError):
        run_many(JOURNEY, [], "exit", staff)
    with pytest.raises(ValueError):
        change_states([submitted_dossier(open_call)], "mark_eligible", staff)


# --- a concurrent write


def test_a_concurrent_change_is_refused_with_the_machine_message(manager, variants):
    accompaniment = make_accompaniment()

    def someone_else_moves_it(accompaniment, actor, comment, data):
        # The row changes between the lock's read and the save, as without a row lock.
        Accompaniment.objects.filter(pk=accompaniment.pk).update(stage=Stage.EXITED)
        return []

    machine = variants(JOURNEY, conditions={"pause": [someone_else_moves_it]})
    with pytest.raises(TransitionRefused) as refused:
        run(machine, accompaniment, "pause", manager)
    assert refused.value.messages == [
        "Someone else moved this structure at the same moment. Reload the page and try again."
    ]
    assert Accompaniment.objects.get(pk=accompaniment.pk).stage == Stage.SOURCING
    assert not AccompanimentTransition.objects.filter(name="pause").exists()


def test_every_machine_is_registered_once_by_its_state_field():
    assert transitions.MACHINES[("applications.Dossier", "state")] is DOSSIER
    assert transitions.MACHINES[("accelerator.Accompaniment", "stage")] is JOURNEY
    assert transitions.MACHINES[("accelerator.RegulatoryObstacle", "state")] is OBSTACLE
