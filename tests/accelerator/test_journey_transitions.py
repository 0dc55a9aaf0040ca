"""The accompaniment journey: every transition, its conditions, who may move, and concurrency."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from accelerator.domain.journey import TransitionRefused, change_stage, next_stage_needs
from accelerator.models import (
    Accompaniment,
    AccompanimentTransition,
    Cohort,
    FundraisingRound,
    LabelDecision,
    Milestone,
    SeedGrant,
    Stage,
)
from tests import factories
from workers.models import OutboxMessage

S = Stage


def make_accompaniment(structure=None, stage=S.SOURCING):
    """An accompaniment in `stage`, reached with the data each condition asks for."""
    cohort = Cohort.objects.create(
        programme=factories.ProgrammeFactory(), name="Cohorte 1", year=2026
    )
    accompaniment = Accompaniment.objects.create(
        cohort=cohort, structure=structure or factories.StructureFactory(), source="call"
    )
    mover = factories.ManagerFactory()
    for name in ("start_labelling", "start_seed_funding", "start_fundraising"):
        if accompaniment.stage == stage:
            break
        fulfil(accompaniment, name)
        accompaniment = change_stage(accompaniment, name, mover)
    if accompaniment.stage != stage and stage == S.IMPACT_MEASUREMENT:
        fulfil(accompaniment, "start_impact_measurement")
        accompaniment = change_stage(accompaniment, "start_impact_measurement", mover)
    assert accompaniment.stage == stage
    return accompaniment


def fulfil(accompaniment, name):
    """Record what transition `name` needs."""
    if name == "start_labelling":
        Milestone.objects.create(
            accompaniment=accompaniment,
            stage=S.SOURCING,
            title="Diagnostic",
            kind="diagnostic",
            status="done",
        )
    elif name == "start_seed_funding":
        LabelDecision.objects.create(
            accompaniment=accompaniment,
            committee_date=datetime.date(2026, 3, 1),
            outcome="granted",
            label_name="Label ESS",
        )
    elif name == "start_fundraising":
        SeedGrant.objects.create(
            accompaniment=accompaniment,
            amount=Decimal("10000.00"),
            funder="Région",
            agreement_signed_on=datetime.date(2026, 4, 1),
        )
    elif name == "start_impact_measurement":
        FundraisingRound.objects.create(
            accompaniment=accompaniment,
            target=Decimal("50000"),
            instruments=["honour_loan", "equity"],
            amount_raised=Decimal("42000"),
            closed_on=datetime.date(2026, 9, 1),
        )


ADVANCES = [
    ("start_labelling", S.SOURCING, S.LABELLING, "A diagnostic milestone must be done"),
    ("start_seed_funding", S.LABELLING, S.SEED_FUNDING, "labelling committee decision"),
    ("start_fundraising", S.SEED_FUNDING, S.FUNDRAISING, "seed grant with its signed agreement"),
    (
        "start_impact_measurement",
        S.FUNDRAISING,
        S.IMPACT_MEASUREMENT,
        "fundraising round must be closed",
    ),
]


@pytest.mark.parametrize(("name", "source", "target", "missing"), ADVANCES)
def test_each_advance_is_refused_with_what_is_missing_then_allowed(
    db, manager, name, source, target, missing
):
    accompaniment = make_accompaniment(stage=source)
    with pytest.raises(TransitionRefused) as refused:
        change_stage(accompaniment, name, manager)
    assert missing in refused.value.messages[0]
    assert Accompaniment.objects.get(pk=accompaniment.pk).stage == source

    fulfil(accompaniment, name)
    moved = change_stage(accompaniment, name, manager, comment="On avance.")
    assert moved.stage == target
    log = AccompanimentTransition.objects.get(accompaniment=accompaniment, name=name)
    assert (log.actor, log.source, log.target, log.comment) == (
        manager,
        source,
        target,
        "On avance.",
    )


def test_an_open_or_dropped_diagnostic_or_another_milestone_does_not_count(db, manager):
    accompaniment = make_accompaniment()
    Milestone.objects.create(
        accompaniment=accompaniment, stage=S.SOURCING, title="D", kind="diagnostic"
    )
    Milestone.objects.create(
        accompaniment=accompaniment,
        stage=S.SOURCING,
        title="D",
        kind="diagnostic",
        status="dropped",
    )
    Milestone.objects.create(
        accompaniment=accompaniment, stage=S.SOURCING, title="Autre", kind="other", status="done"
    )
    with pytest.raises(TransitionRefused):
        change_stage(accompaniment, "start_labelling", manager)


@pytest.mark.parametrize("outcome", ["refused", "deferred"])
def test_a_refused_or_deferred_label_does_not_open_seed_funding(db, manager, outcome):
    accompaniment = make_accompaniment(stage=S.LABELLING)
    LabelDecision.objects.create(
        accompaniment=accompaniment, committee_date=datetime.date(2026, 3, 1), outcome=outcome
    )
    with pytest.raises(TransitionRefused):
        change_stage(accompaniment, "start_seed_funding", manager)


def test_an_unsigned_seed_grant_does_not_open_fundraising(db, manager):
    accompaniment = make_accompaniment(stage=S.SEED_FUNDING)
    SeedGrant.objects.create(accompaniment=accompaniment, amount=Decimal("5000"), funder="BPI")
    with pytest.raises(TransitionRefused):
        change_stage(accompaniment, "start_fundraising", manager)


def test_an_open_round_is_refused_and_a_skipped_round_is_accepted(db, manager):
    accompaniment = make_accompaniment(stage=S.FUNDRAISING)
    FundraisingRound.objects.create(accompaniment=accompaniment, target=Decimal("20000"))
    with pytest.raises(TransitionRefused):
        change_stage(accompaniment, "start_impact_measurement", manager)
    FundraisingRound.objects.create(
        accompaniment=accompaniment,
        target=Decimal("0"),
        skipped_reason="Le modèle économique ne demande pas de levée.",
    )
    moved = change_stage(accompaniment, "start_impact_measurement", manager)
    assert moved.stage == S.IMPACT_MEASUREMENT


def test_alumni_is_refused_until_impact_reports_exist(db, manager):
    accompaniment = make_accompaniment(stage=S.IMPACT_MEASUREMENT)
    with pytest.raises(TransitionRefused) as refused:
        change_stage(accompaniment, "graduate", manager)
    # The default schedule ends with a final report (tests/accelerator/impact: the rest).
    assert refused.value.messages == [
        "The final impact report must be validated before the structure becomes alumni."
    ]
    assert Accompaniment.objects.get(pk=accompaniment.pk).stage == S.IMPACT_MEASUREMENT


SKIPS = [
    ("start_labelling", S.LABELLING),
    ("start_seed_funding", S.SOURCING),
    ("start_fundraising", S.LABELLING),
    ("start_impact_measurement", S.SEED_FUNDING),
    ("graduate", S.FUNDRAISING),
    ("resume", S.SOURCING),
]


@pytest.mark.parametrize(("name", "stage"), SKIPS)
def test_transitions_from_the_wrong_stage_are_refused(db, manager, name, stage):
    accompaniment = make_accompaniment(stage=stage)
    logged = AccompanimentTransition.objects.filter(accompaniment=accompaniment).count()
    with pytest.raises(TransitionRefused) as refused:
        change_stage(accompaniment, name, manager)
    assert "cannot be moved this way now" in refused.value.messages[0]
    assert AccompanimentTransition.objects.filter(accompaniment=accompaniment).count() == logged
    assert Accompaniment.objects.get(pk=accompaniment.pk).stage == stage


@pytest.mark.parametrize("stage", [S.SOURCING, S.LABELLING, S.SEED_FUNDING, S.FUNDRAISING])
def test_pause_then_resume_returns_to_the_stage_left(db, manager, stage):
    accompaniment = make_accompaniment(stage=stage)
    paused = change_stage(accompaniment, "pause", manager, comment="Congé maternité.")
    assert (paused.stage, paused.paused_from) == (S.PAUSED, stage)
    with pytest.raises(TransitionRefused):
        change_stage(paused, "pause", manager)
    resumed = change_stage(paused, "resume", manager)
    assert (resumed.stage, resumed.paused_from) == (stage, "")
    assert list(
        AccompanimentTransition.objects.filter(accompaniment=accompaniment)
        .filter(name__in=["pause", "resume"])
        .values_list("source", "target")
    ) == [(stage, S.PAUSED), (S.PAUSED, stage)]


def test_a_paused_structure_cannot_advance(db, manager):
    accompaniment = make_accompaniment()
    fulfil(accompaniment, "start_labelling")
    paused = change_stage(accompaniment, "pause", manager)
    with pytest.raises(TransitionRefused):
        change_stage(paused, "start_labelling", manager)


@pytest.mark.parametrize("stage", [S.SOURCING, S.FUNDRAISING, S.PAUSED])
def test_exit_needs_a_reason_from_any_stage(db, manager, stage):
    accompaniment = make_accompaniment(stage=S.SOURCING if stage == S.PAUSED else stage)
    if stage == S.PAUSED:
        accompaniment = change_stage(accompaniment, "pause", manager)
    with pytest.raises(TransitionRefused) as refused:
        change_stage(accompaniment, "exit", manager, reason="  ")
    assert "give the reason" in refused.value.messages[0]
    exited = change_stage(accompaniment, "exit", manager, reason="La structure a fermé.")
    assert (exited.stage, exited.exit_reason) == (S.EXITED, "La structure a fermé.")
    log = AccompanimentTransition.objects.get(accompaniment=accompaniment, name="exit")
    assert log.comment == "La structure a fermé."
    with pytest.raises(TransitionRefused):
        change_stage(exited, "pause", manager)


def test_the_stage_field_cannot_be_assigned(db):
    accompaniment = make_accompaniment()
    with pytest.raises(AttributeError):
        accompaniment.stage = S.ALUMNI


def test_the_machine_itself_refuses_a_transition_from_the_wrong_stage(db):
    accompaniment = make_accompaniment()
    with pytest.raises(TransitionNotAllowed):
        accompaniment.graduate()


@pytest.mark.parametrize(
    "role", ["owner", "editor", "viewer", "outsider", "support_point", "staff"]
)
def test_only_the_referent_and_the_managers_move_a_structure(db, structure, people, role):
    # Plain staff (neither référent of this structure nor manager of the programme) see the
    # journey but do not move it.
    accompaniment = make_accompaniment(structure=structure)
    fulfil(accompaniment, "start_labelling")
    with pytest.raises(PermissionDenied):
        change_stage(accompaniment, "start_labelling", people[role])
    assert Accompaniment.objects.get(pk=accompaniment.pk).stage == S.SOURCING


def test_the_referent_moves_their_structure_and_a_manager_of_another_programme_does_not(db):
    accompaniment = make_accompaniment()
    fulfil(accompaniment, "start_labelling")
    other = factories.ManagerFactory(
        programme=factories.ProgrammeFactory(slug="other", name="Other programme")
    )
    with pytest.raises(PermissionDenied):
        change_stage(accompaniment, "start_labelling", other)
    referent = factories.StaffFactory()
    accompaniment.referent = referent
    accompaniment.save(update_fields=["referent"])
    moved = change_stage(accompaniment, "start_labelling", referent)
    assert moved.stage == S.LABELLING
    # A référent who leaves the staff no longer moves anyone.
    referent.is_staff = False
    referent.save(update_fields=["is_staff"])
    referent = type(referent).objects.get(pk=referent.pk)
    with pytest.raises(PermissionDenied):
        change_stage(moved, "pause", referent)


def test_members_and_the_support_point_see_the_journey_outsiders_do_not(
    db, structure, people, far_support_point_user
):
    accompaniment = make_accompaniment(structure=structure)
    for role in ("owner", "editor", "viewer", "staff", "support_point"):
        assert people[role].has_perm("accelerator.see_accompaniment", accompaniment), role
    assert not people["outsider"].has_perm("accelerator.see_accompaniment", accompaniment)
    assert not far_support_point_user.has_perm("accelerator.see_accompaniment", accompaniment)


def test_owners_and_editors_are_told_of_a_stage_change(
    db, structure, owner, editor, viewer, manager
):
    accompaniment = make_accompaniment(structure=structure)
    OutboxMessage.objects.all().delete()
    fulfil(accompaniment, "start_labelling")
    change_stage(accompaniment, "start_labelling", manager, comment="Bravo !")
    messages = OutboxMessage.objects.order_by("pk")
    assert sorted(m.to for m in messages) == sorted([owner.email, editor.email])
    assert "Labelling" in messages[0].subject
    assert "Bravo !" in messages[0].body_text


def test_a_stale_instance_is_refused_and_only_one_transition_is_logged(db, manager):
    accompaniment = make_accompaniment()
    fulfil(accompaniment, "start_labelling")
    first = Accompaniment.objects.get(pk=accompaniment.pk)
    second = Accompaniment.objects.get(pk=accompaniment.pk)
    change_stage(first, "start_labelling", manager)
    with pytest.raises(TransitionRefused):
        change_stage(second, "start_labelling", manager)
    with pytest.raises(TransitionRefused):
        change_stage(second, "pause", manager)
    assert Accompaniment.objects.get(pk=accompaniment.pk).stage == S.LABELLING
    assert AccompanimentTransition.objects.filter(accompaniment=accompaniment).count() == 1


@pytest.mark.services
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_transitions_produce_exactly_one():
    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL (DATABASE_URL): SQLite has no row locks across threads.")
    accompaniment = make_accompaniment()
    fulfil(accompaniment, "start_labelling")
    movers = [factories.ManagerFactory() for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes = []

    def move(person):
        from django.db import connections

        try:
            barrier.wait(timeout=10)
            change_stage(Accompaniment.objects.get(pk=accompaniment.pk), "start_labelling", person)
            outcomes.append("moved")
        except TransitionRefused:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=move, args=(p,)) for p in movers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["moved", "refused"]
    assert (
        AccompanimentTransition.objects.filter(
            accompaniment=accompaniment, name="start_labelling"
        ).count()
        == 1
    )


def test_saving_a_stale_instance_after_a_transition_fails(db, manager):
    accompaniment = make_accompaniment()
    stale = Accompaniment.objects.get(pk=accompaniment.pk)
    change_stage(accompaniment, "pause", manager)
    with pytest.raises(ConcurrentTransition), transaction.atomic():
        stale.save()
    assert Accompaniment.objects.get(pk=accompaniment.pk).stage == S.PAUSED


def test_next_stage_needs_names_the_transition_and_what_is_missing(db, manager):
    accompaniment = make_accompaniment()
    name, reasons = next_stage_needs(accompaniment)
    assert name == "start_labelling"
    assert reasons == ["A diagnostic milestone must be done before labelling."]
    fulfil(accompaniment, "start_labelling")
    assert next_stage_needs(accompaniment) == ("start_labelling", [])
    paused = change_stage(accompaniment, "pause", manager)
    assert next_stage_needs(paused) == (None, [])
