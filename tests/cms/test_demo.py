"""The demo data: complete, valid, deterministic, and loaded only once however often it runs."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import GroupPagePermission, Page, Revision, Site

from accelerator.identifiers import validate_siren_or_siret
from accelerator.models import (
    Accompaniment,
    AccompanimentTransition,
    Cohort,
    Disbursement,
    FundraisingCommitment,
    FundraisingRound,
    ImpactPlan,
    ImpactReport,
    ImpactReportTransition,
    LabelDecision,
    Membership,
    Milestone,
    MilestoneTemplate,
    Note,
    ObstacleEvent,
    PlannedIndicator,
    RegulatoryObstacle,
    ReportComment,
    ReportEvidence,
    ReportingSchedule,
    ReportState,
    ReportValue,
    SeedGrant,
    Structure,
    SupportPoint,
    User,
)
from applications.blocks import ApplicationFormBlock
from applications.domain.completeness import measure
from applications.domain.deliberation import state_shown_to_applicant
from applications.domain.jury_seats import Step, assignments_of
from applications.domain.ranking import ranked_dossiers
from applications.domain.review_phases import active_phase
from applications.models import (
    Assignment,
    Attachment,
    Call,
    CallPhase,
    ConflictDeclaration,
    ConflictKind,
    DecisionLetter,
    DecisionLetterTemplate,
    Dossier,
    DossierState,
    DossierTransition,
    EvaluationCriterion,
    Juror,
    JurorRole,
    PeerScores,
    Review,
    ReviewPhase,
    Score,
)
from cms.demo import data
from cms.models import CallIndexPage, HomePage
from tests.cms.demo_world import _isolated_media, demo  # noqa: F401  (the shared load)
from workers import outbox
from workers.models import OutboxMessage, OutboxStatus

CENTRE_VAL_DE_LOIRE = {"18", "28", "36", "37", "41", "45"}

COUNTED = [
    User,
    EmailAddress,
    Group,
    Structure,
    Membership,
    SupportPoint,
    Call,
    EvaluationCriterion,
    Dossier,
    DossierTransition,
    Attachment,
    Page,
    Revision,
    Site,
    GroupPagePermission,
    OutboxMessage,
    Juror,
    ConflictDeclaration,
    Assignment,
    ReviewPhase,
    Review,
    Score,
    DecisionLetterTemplate,
    DecisionLetter,
    MilestoneTemplate,
    Cohort,
    Accompaniment,
    AccompanimentTransition,
    Milestone,
    LabelDecision,
    SeedGrant,
    Disbursement,
    FundraisingRound,
    FundraisingCommitment,
    Note,
    RegulatoryObstacle,
    ObstacleEvent,
    ReportingSchedule,
    ImpactPlan,
    PlannedIndicator,
    ImpactReport,
    ImpactReportTransition,
    ReportValue,
    ReportComment,
    ReportEvidence,
]


def counts():
    return {model._meta.label: model.objects.count() for model in COUNTED}


def load(*options):
    out = StringIO()
    call_command("load_demo", *options, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_a_second_run_creates_and_changes_nothing(demo):  # noqa: F811
    first = counts()
    assert all(first.values())
    states = dict(Dossier.objects.values_list("reference", "state"))
    stages = dict(Accompaniment.objects.values_list("pk", "stage"))
    reviews = list(Review.objects.order_by("pk").values_list("pk", "submitted_at", "updated_at"))
    home_revision = HomePage.objects.get(locale__language_code="fr").latest_revision_id

    assert load("--quiet") == ""
    output = load("--logins-only")

    assert counts() == first
    assert dict(Dossier.objects.values_list("reference", "state")) == states
    assert dict(Accompaniment.objects.values_list("pk", "stage")) == stages
    assert list(Review.objects.order_by("pk").values_list("pk", "submitted_at", "updated_at")) == (
        reviews
    )
    assert HomePage.objects.get(locale__language_code="fr").latest_revision_id == home_revision
    # Only the logins are printed, in both languages.
    assert "Demo data ready" not in output
    assert "Se connecter en tant que" in output and "Log in as" in output
    assert "applicant@essor.demo" in output and data.PASSWORD in output
    assert f"{settings.SITE_URL}/jury/" in output
    # Where staff read the impact of the cohort whose structures report (one graduated).
    reporting = Accompaniment.objects.filter(stage="alumni").get().cohort
    assert f"{settings.SITE_URL}/cohorts/{reporting.pk}/impact/" in output
    assert f"{settings.SITE_URL}/programmes/{reporting.programme_id}/impact/" in output
    assert "impact@essor.demo" in output


@pytest.mark.django_db
def test_the_demo_fills_every_role_place_and_state(demo):  # noqa: F811
    output = demo.output
    assert "Demo data ready" in output and "staff@essor.demo" in output

    structures = Structure.objects.select_related("department")
    assert structures.count() >= 40
    assert {s.department.code for s in structures} == CENTRE_VAL_DE_LOIRE
    assert len({s.legal_form for s in structures}) >= 5
    for structure in structures:
        validate_siren_or_siret(structure.siret)
        assert structure.postcode[:2] == structure.department.code
        assert (structure.legal_form == "association") == bool(structure.rna)

    phases = {call.slug: call.phase() for call in Call.objects.live()}
    assert sorted(phases.values()) == sorted([CallPhase.OPEN, CallPhase.UPCOMING, CallPhase.CLOSED])
    open_call = Call.objects.get(slug="innovations-sociales")
    assert open_call.criteria.count() == 5
    assert open_call.criteria.filter(allow_not_applicable=True).count() == 1
    block_types = {block["type"] for block in open_call.form.raw_data}
    assert block_types == {
        "section", "short_text", "long_text", "number", "money", "date", "yes_no",
        "single_choice", "multiple_choice", "file", "partners",
    }  # fmt: skip

    assert set(Dossier.objects.values_list("state", flat=True)) == set(DossierState.values)
    assert {d.call.phase() for d in Dossier.objects.select_related("call")} == {
        CallPhase.OPEN,
        CallPhase.CLOSED,
    }
    closed_call = Call.objects.get(slug="acceleration")
    for dossier in closed_call.dossiers.exclude(submitted_at=None):
        assert dossier.submitted_at < closed_call.closes_at
    # Every state was reached through logged transitions, never by assignment.
    for dossier in Dossier.objects.exclude(state=DossierState.DRAFT):
        assert dossier.transitions.order_by("at", "pk").last().target == dossier.state

    jurors = Juror.objects.filter(call=closed_call, accepted_at__isnull=False)
    assert sorted(j.user.email for j in jurors) == sorted(j.email for j in data.JURORS)
    points = SupportPoint.objects.select_related("department")
    assert sorted(p.department.code for p in points) == sorted(CENTRE_VAL_DE_LOIRE)
    assert all(p.members.exists() for p in points)
    assert User.objects.get(email="staff@essor.demo").is_staff
    assert User.objects.get(email="admin@essor.demo").is_superuser
    # The transitions' notifications are recorded as sent: a worker finds nothing to deliver.
    assert OutboxMessage.objects.filter(status=OutboxStatus.SENT).exists()
    assert not OutboxMessage.objects.exclude(status=OutboxStatus.SENT).exists()
    assert outbox.flush() == 0
    assert demo.mails == ()


@pytest.mark.django_db
def test_the_site_answers_on_the_local_address_and_the_applicant_logs_in(demo, client):  # noqa: F811

    site = Site.objects.get(is_default_site=True)
    assert site.root_page.specific_class is HomePage
    assert not Page.objects.filter(depth=2, slug="home").exists()  # Wagtail's welcome page
    index = CallIndexPage.objects.get()
    assert index.url_path.endswith("/appels/")

    home = client.get("/", HTTP_HOST="127.0.0.1:8000")
    calls = client.get("/appels/", HTTP_HOST="127.0.0.1:8000")
    assert home.status_code == 200 and calls.status_code == 200

    assert client.login(email=data.APPLICANT.email, password=data.PASSWORD)
    applicant = User.objects.get(email=data.APPLICANT.email)
    draft = Dossier.objects.get(
        structure__memberships__user=applicant, call__slug="innovations-sociales"
    )
    assert draft.state == DossierState.DRAFT
    open_call = client.get("/appels/innovations-sociales/", HTTP_HOST="127.0.0.1:8000")
    assert open_call.status_code == 200


@pytest.mark.django_db
def test_programme_staff_edit_calls_in_the_wagtail_admin(demo, client):  # noqa: F811
    staff = User.objects.get(email=data.STAFF.email)
    open_call = Call.objects.get(slug="innovations-sociales")
    client.force_login(staff)

    assert client.get("/admin/").status_code == 200
    assert client.get(f"/admin/pages/{open_call.pk}/edit/").status_code == 200
    # The home page is not theirs to edit: their group's rights start at the calls index.
    home = HomePage.objects.get(locale__language_code="fr")
    assert client.get(f"/admin/pages/{home.pk}/edit/").status_code in (302, 403)


def test_the_plan_is_the_same_for_the_same_day():
    now = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
    first, second = data.build_plan(now), data.build_plan(now)
    assert [s.siret for s in first.structures] == [s.siret for s in second.structures]
    assert [d.answers for d in first.dossiers] == [d.answers for d in second.dossiers]
    assert len({s.siret for s in first.structures}) == len(first.structures)
    assert first.phases == second.phases
    assert first.phases[0].ends_at <= first.phases[1].starts_at < now < first.phases[1].ends_at


def test_the_demo_form_is_stored_as_the_admin_stores_it_and_its_answers_store_keys():
    now = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
    plan = data.build_plan(now)
    forms = {call.key: call.form for call in plan.calls}
    block = ApplicationFormBlock()
    for form in forms.values():
        block.clean(block.to_python(form))  # today's conditions, all valid
        for question in form:
            value = question["value"]
            assert not {"key", "show_if_key", "show_if_value"} & set(value)
            for choice in value.get("choices") or []:
                assert set(choice) == {"type", "value", "id"} and choice["id"].startswith("c-")
    for dossier in plan.dossiers:
        assert dossier.answers["q-stage"] in data.STAGES
        assert set(dossier.answers["q-publics"]) <= set(data.PUBLICS)
        if dossier.path != "draft_partial":
            files = {"q-budget-file": 1}
            measured = measure(forms[dossier.call_key], dossier.answers, files)
            assert (measured.missing, measured.to_correct) == ([], [])


@pytest.mark.django_db
def test_the_closed_call_has_a_jury_at_work_and_released_decisions(demo, client):  # noqa: F811
    now = demo.started_at
    call = Call.objects.get(slug="acceleration")

    # Six jurors who accepted, one president, with their départements and organisations.
    jurors = list(Juror.objects.filter(call=call).select_related("user", "department"))
    assert len(jurors) == 6
    assert all(j.user_id and j.accepted_at and j.accepted_at < now for j in jurors)
    assert [j.role for j in jurors].count(JurorRole.PRESIDENT) == 1
    assert all(j.organisation for j in jurors)
    assert {j.department.code for j in jurors if j.department} <= CENTRE_VAL_DE_LOIRE
    assert call.exclude_same_department
    for assignment in Assignment.objects.filter(juror__call=call).select_related(
        "juror", "dossier__structure"
    ):
        if assignment.automatic:
            assert assignment.juror.department_id != assignment.dossier.structure.department_id
        assert assignment.notified_at is not None

    # A phase open now, jurors see the others' scores after their own, names shown.
    phase = active_phase(call)
    assert phase is not None and phase.peer_scores == PeerScores.AFTER_OWN and not phase.blind
    assert ReviewPhase.objects.filter(call=call, ends_at__lt=now).exists()

    # Every dossier the jury reviewed or reviews has three jurors without conflict.
    reviewed_states = [
        DossierState.UNDER_REVIEW,
        DossierState.SHORTLISTED,
        DossierState.SELECTED,
        DossierState.WAITLISTED,
        DossierState.REJECTED,
    ]
    reviewed = call.dossiers.filter(state__in=reviewed_states)
    assert not call.dossiers.filter(state=DossierState.ELIGIBLE).exists()
    conflicts = ConflictDeclaration.objects.filter(juror__call=call).exclude(kind=ConflictKind.NONE)
    assert conflicts.count() == 1 and conflicts.get().details
    for dossier in reviewed:
        free = dossier.assignments.exclude(
            juror__in=conflicts.filter(dossier=dossier).values("juror")
        )
        assert free.count() >= 3, dossier.structure.name
    # Dossiers decided or shortlisted were fully reviewed before the deliberation.
    for dossier in reviewed.exclude(state=DossierState.UNDER_REVIEW):
        submitted = Review.objects.filter(assignment__dossier=dossier, submitted_at__isnull=False)
        assert submitted.count() == 3
        first_deliberation = (
            dossier.transitions.filter(name__in=["shortlist", "select", "waitlist", "reject"])
            .order_by("at")
            .first()
        )
        assert all(r.submitted_at < first_deliberation.at for r in submitted)
    assert Review.objects.filter(submitted_at__isnull=True).count() >= 2
    assert Score.objects.filter(not_applicable=True).count() == 1

    # The demo juror has dossiers to declare, and a review in draft.
    demo_juror = Juror.objects.get(call=call, user__email=data.DEMO_JUROR.email)
    steps = [a.step for a in assignments_of(demo_juror)]
    assert steps.count(Step.DECLARE) >= 2 and Step.DRAFT in steps

    # The ranking has numbers for the decided dossiers and flags one disagreement.
    ranking = {d.reference: d for d in ranked_dossiers(call)}
    selected = [d for d in ranking.values() if d.state == DossierState.SELECTED]
    rejected = [d for d in ranking.values() if d.state == DossierState.REJECTED]
    assert all(d.review_count == 3 and d.weighted_mean is not None for d in selected)
    assert min(d.weighted_mean for d in selected) > max(d.weighted_mean for d in rejected)
    assert [d.state for d in ranking.values() if d.disagreement] == [DossierState.SHORTLISTED]

    # Letters for every decided dossier, released in the past: the applicant sees its decision.
    decided = call.dossiers.filter(state__in=["selected", "waitlisted", "rejected"])
    letters = DecisionLetter.objects.filter(dossier__call=call)
    assert letters.count() == decided.count() == 9
    assert all(
        letter.release_at < now and letter.outcome == letter.dossier.state for letter in letters
    )
    assert DecisionLetterTemplate.objects.filter(call=call).count() == 3
    assert all("{reference}" in t.subject for t in DecisionLetterTemplate.objects.all())
    applicant_dossier = call.dossiers.get(structure__name=data.APPLICANT_STRUCTURE)
    assert state_shown_to_applicant(applicant_dossier) == DossierState.REJECTED
    assert not OutboxMessage.objects.exclude(status=OutboxStatus.SENT).exists()

    # The applicant reads the decision and its rationale; the demo juror sees what to do.
    client.force_login(User.objects.get(email=data.APPLICANT.email))
    page = client.get(f"/dossiers/{applicant_dossier.pk}/")
    assert "juge le modèle économique encore trop fragile" in page.content.decode()
    client.force_login(demo_juror.user)
    assert client.get("/jury/").status_code == 200
    page = client.get(f"/jury/calls/{call.pk}/").content.decode()
    to_declare = [a.dossier_id for a in assignments_of(demo_juror) if a.step == Step.DECLARE]
    for dossier_id in to_declare:
        assert f"/jury/dossiers/{dossier_id}/conflict/" in page
    client.force_login(User.objects.get(email=data.STAFF.email))
    assert client.get(f"/staff/calls/{call.pk}/ranking/").status_code == 200


@pytest.mark.django_db
def test_the_cohort_fills_every_column_of_the_board_with_ten_weeks_of_history(demo, client):  # noqa: F811
    now, output = demo.started_at, demo.output
    staff = User.objects.get(email=data.STAFF.email)
    call = Call.objects.get(slug="acceleration")

    cohort = Cohort.objects.get(accompaniments__structure__name=data.ACCOMPANIED_STRUCTURE)
    assert (cohort.name, cohort.capacity) == (f"Cohorte {cohort.starts_on.year}", 15)
    assert cohort.starts_on < cohort.ends_on
    assert list(cohort.referents.all()) == [staff]
    assert list(cohort.programme.managers.all()) == [staff]
    assert f"/cohorts/{cohort.pk}/" in output

    # The programme's milestones, in the order of the journey, the diagnostic first.
    templates = MilestoneTemplate.objects.filter(programme=cohort.programme)
    assert templates.count() == 9
    diagnostic = templates.get(kind="diagnostic")
    assert (diagnostic.title, diagnostic.stage, diagnostic.due_after_days) == (
        "Diagnostic partagé",
        "sourcing",
        21,
    )
    assert templates.get(title="Passage en comité").owner == "staff"

    # The closed call's selection, plus structures sourced elsewhere.
    accompaniments = list(
        Accompaniment.objects.filter(cohort=cohort).select_related("structure", "support_point")
    )
    from_call = {a.source_reference for a in accompaniments if a.source == "call"}
    assert from_call == set(
        call.dossiers.filter(state=DossierState.SELECTED).values_list("reference", flat=True)
    )
    assert {"innovation_lab", "event"} <= {a.source for a in accompaniments}
    released = DecisionLetter.objects.filter(dossier__call=call).order_by("release_at").last()
    assert all(a.created_at > released.release_at for a in accompaniments if a.source == "call")

    # A structure in every column, one paused, one gone with its reason.
    stages = {a.stage for a in accompaniments}
    assert stages == {
        "sourcing",
        "labelling",
        "seed_funding",
        "fundraising",
        "impact_measurement",
        "paused",
        "exited",
    }
    paused = next(a for a in accompaniments if a.stage == "paused")
    assert paused.paused_from == "labelling"
    assert next(a for a in accompaniments if a.stage == "exited").exit_reason
    assert all(a.referent == staff and a.support_point for a in accompaniments)

    # Every stage was reached through logged transitions made by the manager.
    for accompaniment in accompaniments:
        logs = list(accompaniment.transitions.order_by("at", "pk"))
        if accompaniment.stage == "sourcing":
            assert logs == []
            continue
        assert logs[-1].target == accompaniment.stage
        assert all(log.actor == staff for log in logs)
        assert [log.at for log in logs] == sorted(log.at for log in logs)
        assert accompaniment.created_at < logs[0].at
        assert accompaniment.stage_entered_at == logs[-1].at
    # What each condition needs is recorded before the structure moved on.
    furthest = next(a for a in accompaniments if a.stage == "impact_measurement")
    assert furthest.milestones.filter(kind="diagnostic", status="done").exists()
    assert furthest.label_decisions.filter(outcome="granted").exists()
    grant = furthest.seed_grants.get()
    assert grant.agreement_signed_on and grant.disbursements.count() == 2
    assert furthest.fundraising_rounds.get().closed_on
    assert FundraisingCommitment.objects.filter(round__accompaniment=furthest).count() == 3

    # Ten weeks of history, a few overdue milestones, all in the past.
    first = min(a.created_at for a in accompaniments)
    assert now - timedelta(days=75) < first < now - timedelta(days=63)
    assert not AccompanimentTransition.objects.filter(at__gt=now).exists()
    milestones = Milestone.objects.filter(accompaniment__cohort=cohort)
    assert sum(m.is_overdue() for m in milestones) >= 3
    assert not milestones.filter(closed_at__gt=now).exists()

    # Notes for each audience, two regulatory obstacles moved by the staff.
    assert set(Note.objects.values_list("visibility", flat=True)) == {
        "staff",
        "support_point",
        "everyone",
    }
    assert sorted(RegulatoryObstacle.objects.values_list("state", flat=True)) == [
        "escalated",
        "under_review",
    ]
    assert all(o.reported_by.memberships.exists() for o in RegulatoryObstacle.objects.all())
    assert (
        "insertion par l'activité économique"
        in RegulatoryObstacle.objects.get(state="escalated").regulation
    )
    assert not ObstacleEvent.objects.filter(at__gt=now).exists()
    assert not OutboxMessage.objects.exclude(status=OutboxStatus.SENT).exists()

    # The manager reaches the cohort's pages and the admin of cohorts and milestones.
    client.force_login(staff)
    assert client.get(f"/staff/calls/{call.pk}/cohort/").status_code == 200
    assert client.get(f"/cohorts/{cohort.pk}/add/").status_code == 200
    assert client.get("/admin/snippets/accelerator/cohort/").status_code == 200
    assert client.get("/admin/snippets/accelerator/milestonetemplate/").status_code == 200
    # And the catalogue of impact indicators, which the staff's group may change.
    assert client.get("/admin/snippets/accelerator/indicator/").status_code == 200
    assert staff.has_perm("accelerator.change_indicator")

    check_impact_measurement(cohort, staff, now)


def check_impact_measurement(cohort, staff, now):
    """The previous cohort measures its impact: plans agreed, reports in every state moved by
    the domain, one late, one correction under way, comments of the support point, and a
    structure become alumni once its final report was validated."""
    today = timezone.localdate()
    previous = Cohort.objects.exclude(pk=cohort.pk).get()
    assert previous.starts_on < cohort.starts_on
    for each in (cohort, previous):
        schedule = each.reporting_schedule
        assert (schedule.every_months, schedule.reports, schedule.last_is_final) == (6, 3, True)
    accompaniments = list(Accompaniment.objects.filter(cohort=previous))
    assert sorted(a.stage for a in accompaniments) == ["alumni"] + ["impact_measurement"] * 4

    # Each structure's plan: three to five indicators with baselines and targets; all agreed by
    # both sides but one, which the structure proposed and the programme has yet to agree.
    plans = ImpactPlan.objects.filter(accompaniment__cohort=previous)
    assert plans.count() == len(accompaniments)
    lines = PlannedIndicator.objects.filter(plan__in=plans)
    assert all(3 <= plan.lines.count() <= 5 for plan in plans)
    assert not lines.filter(baseline_value=None).exists()
    assert not lines.filter(target_value=None).exists()
    [waiting] = [plan for plan in plans if not plan.is_agreed]
    assert waiting.structure_agreed_at and waiting.staff_agreed_at is None
    assert sum(plan.is_agreed for plan in plans) == len(accompaniments) - 1

    # Reports in every state, each reached through logged moves, all in the past.
    reports = ImpactReport.objects.filter(accompaniment__cohort=previous)
    assert set(reports.values_list("state", flat=True)) == set(ReportState.values)
    for report in reports.exclude(state=ReportState.DUE):
        assert report.transitions.order_by("at", "pk").last().target == report.state
    assert not ImpactReportTransition.objects.filter(at__gt=now).exists()
    assert [r.state for r in reports if r.is_late(today)] == [ReportState.DRAFT]
    sent_back = reports.get(state=ReportState.CHANGES_REQUESTED)
    assert sent_back.transitions.get(name="request_changes").comment
    assert sent_back.comments.filter(author__support_points__isnull=False).exists()
    assert ReportComment.objects.filter(author__support_points__isnull=False).count() >= 2
    assert ReportEvidence.objects.filter(report__in=reports).exists()

    # A validated report in force, and its correction under way: a second version with a reason.
    correction = reports.get(corrects__isnull=False)
    assert (correction.version, correction.state) == (2, ReportState.DRAFT)
    assert correction.correction_reason
    assert correction.corrects.state == ReportState.VALIDATED
    assert correction.corrects.superseded_at is None

    # Validated figures read against the plan: some on track, some behind; a few made public.
    validated = ReportValue.objects.filter(report__in=reports, report__state="validated")
    assert set(validated.values_list("on_track", flat=True)) == {True, False}
    assert validated.filter(public=True).exists()

    # The alumni structure's final report was validated before it graduated, by the staff.
    alumni = next(a for a in accompaniments if a.stage == "alumni")
    final = alumni.impact_reports.get(is_final=True)
    graduation = alumni.transitions.order_by("at", "pk").last()
    assert final.state == ReportState.VALIDATED and final.validated_at < graduation.at
    assert (graduation.name, graduation.actor) == ("graduate", staff)

    # The demo's impact login is an editor of the structure with most to show.
    impact = Structure.objects.get(name=data.IMPACT_STRUCTURE)
    member = impact.memberships.get(user__email=data.IMPACT_REPORTER.email)
    assert member.role == "editor"
    assert reports.filter(accompaniment__structure=impact, state=ReportState.SUBMITTED).exists()


def test_each_journey_of_the_plan_reads_in_order_after_its_structure_joined():
    names = {seed.name for seed in data.STRUCTURE_SEEDS}
    for plan in data.JOURNEYS:
        assert plan.structure in names
        days = [event[0] for event in plan.events]
        assert days == sorted(days, reverse=True), plan.structure
        assert all(0 < day < plan.joined_days_ago for day in days), plan.structure
        assert plan.joined_days_ago <= data.COHORT["started_days_ago"]
        if plan.source == "call":
            assert plan.joined_days_ago == data.COHORT_FORMED_DAYS_AGO
        else:
            assert plan.reference
    sourced_elsewhere = {plan.source for plan in data.JOURNEYS if plan.source != "call"}
    assert {"innovation_lab", "event"} <= sourced_elsewhere
    # The previous cohort's structures, sourced elsewhere, in no current journey.
    current = {plan.structure for plan in data.JOURNEYS}
    for plan in data.PREVIOUS_JOURNEYS:
        assert plan.structure in names and plan.structure not in current
        days = [event[0] for event in plan.events]
        assert days == sorted(days, reverse=True), plan.structure
        assert all(0 < day < plan.joined_days_ago for day in days), plan.structure
        assert plan.joined_days_ago <= data.PREVIOUS_COHORT["started_days_ago"]
        assert plan.source != "call"


@pytest.mark.django_db
def test_the_demo_support_point_reads_the_contacts_of_its_structures_and_no_other_member(
    demo,  # noqa: F811
    client,
):
    # Every owner is a contact, nobody else: each accompanied structure has someone to reach.
    assert not Membership.objects.filter(is_contact=True).exclude(role="owner").exists()
    assert not Membership.objects.filter(role="owner", is_contact=False).exists()
    structure = Structure.objects.select_related("department").get(name=data.ACCOMPANIED_STRUCTURE)
    contact = structure.memberships.get(is_contact=True).user
    point = User.objects.get(email=data.SUPPORT_POINT_PEOPLE[structure.department.code][0])
    client.force_login(point)
    page = client.get(f"/structures/{structure.pk}/").content.decode()
    assert contact.email in page
    assert data.ACCOMPANIED.email not in page
    assert client.get(f"/structures/{structure.pk}/members/").status_code == 403
