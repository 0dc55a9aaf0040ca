"""The world of the access matrix: one programme with every kind of person around structure A,
built once through the factories and the domain functions, and the table that fills each URL's
keyword arguments from it.

Structure A (Loiret, 45) applies to a call and is accompanied in a cohort; its dossier is under
review, assigned to a juror who declared no conflict and to one who declared a conflict. B is
another applicant (Loiret, not accompanied). C is a structure of A's département that is not
accompanied (its support point must not see it). D (Cher, 18) is accompanied in the same cohort;
E (Loiret) was accompanied in it and exited, so its support point no longer follows it.
On the public site, owner A proposed an agenda entry that waits for moderation, another entry was
approved through the moderation runner, and editor A manages a published actor of the directory.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.utils import timezone

from accelerator.domain.cohorts import add_structure, create_cohort
from accelerator.domain.followup import add_milestone
from accelerator.domain.funding import record_round, record_seed_grant
from accelerator.domain.impact_plans import save_line
from accelerator.domain.impact_reports import schedule_reports
from accelerator.domain.journey import change_stage
from accelerator.domain.members import invite_member, request_to_join
from accelerator.domain.obstacles import report_obstacle
from accelerator.models import (
    Document,
    FundraisingRound,
    Indicator,
    Note,
    ReportEvidence,
    SeedGrant,
    Source,
    SupportPoint,
)
from applications.domain.assignment import assign
from applications.domain.blind_reports import report_leak
from applications.domain.conflicts import declare_conflict
from applications.domain.deliberation import decide
from applications.domain.dossiers import change_state
from applications.domain.jury_invitations import accept_invitation, invite_juror
from applications.domain.review_phases import save_phase
from applications.models import Attachment
from cms.domain.moderation import run_entry
from tests import factories
from tests.cms.agenda_helpers import make_actor, make_entry

# The columns of the matrix, in order: one person per role (None is the anonymous visitor).
ROLES = {
    "anon": "anonymous visitor",
    "owner_B": "owner of structure B (another applicant)",
    "viewer_A": "viewer member of structure A",
    "editor_A": "editor member of structure A",
    "owner_A": "owner of structure A (the applicant)",
    "juror": "juror assigned to A's dossier, declared no conflict",
    "juror_cx": "juror assigned to A's dossier, declared a conflict on it",
    "juror_out": "juror of the same call, not assigned to A's dossier",
    "sp_A": "member of the point d'appui of A's département (Loiret)",
    "sp_far": "member of the point d'appui of another département (Cher)",
    "accomp_D": "owner of structure D, accompanied in the same cohort as A",
    "staff": "programme staff (not a manager of the programme, not a référent)",
    "manager": "programme staff who manage the programme",
    "super": "superuser",
}

PDF = b"%PDF-1.4\n" + b"0" * 200


@dataclass
class World:
    people: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)


def _pdf(name):
    return ContentFile(PDF, name=name)


def _attachment(dossier, name):
    return Attachment.objects.create(
        dossier=dossier,
        field_id="q-files",
        file=_pdf("upload.pdf"),
        original_name=name,
        content_type="application/pdf",
        size=len(PDF),
    )


def _juror(call, user, staff):
    juror = invite_juror(call, user.email, "member", actor=staff)
    return accept_invitation(juror, user)


def _submitted(call, structure, editor, staff):
    dossier = factories.make_dossier(call=call, structure=structure, created_by=editor)
    dossier = change_state(dossier, "submit", editor)
    return change_state(dossier, "mark_eligible", staff)


def build_world():
    """Every object the matrix's URLs point at, and one person per role."""
    now = timezone.now()
    loiret = factories.department("45", "Loiret")
    cher = factories.department("18", "Cher")
    programme = factories.ProgrammeFactory()

    staff = factories.StaffFactory(email="staff@access.example.org")
    manager = factories.ManagerFactory(email="manager@access.example.org", programme=programme)
    # Programme staff reach the Wagtail admin through a group, as the demo's staff group does.
    staff_group = Group.objects.create(name="Programme staff (access matrix)")
    staff_group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    staff.groups.add(staff_group)
    manager.groups.add(staff_group)
    superuser = factories.UserFactory(
        email="super@access.example.org", is_staff=True, is_superuser=True
    )

    structure_a = factories.StructureFactory(name="Atelier A", department=loiret)
    structure_b = factories.StructureFactory(name="Bureau B", department=loiret)
    structure_c = factories.StructureFactory(name="Comptoir C", department=loiret)
    structure_d = factories.StructureFactory(name="Domaine D", department=cher)

    def member(structure, role, email):
        return factories.MembershipFactory(
            structure=structure, role=role, user=factories.UserFactory(email=email)
        ).user

    owner_a = member(structure_a, "owner", "owner.a@access.example.org")
    editor_a = member(structure_a, "editor", "editor.a@access.example.org")
    viewer_a = member(structure_a, "viewer", "viewer.a@access.example.org")
    owner_b = member(structure_b, "owner", "owner.b@access.example.org")
    member(structure_c, "owner", "owner.c@access.example.org")
    owner_d = member(structure_d, "owner", "owner.d@access.example.org")

    sp_a = factories.UserFactory(email="sp.loiret@access.example.org")
    point_a = factories.SupportPointFactory(name="Point d'appui Loiret", department=loiret)
    point_a.members.add(sp_a)
    sp_far = factories.UserFactory(email="sp.cher@access.example.org")
    point_far = factories.SupportPointFactory(name="Point d'appui Cher", department=cher)
    point_far.members.add(sp_far)

    # The applicant side: A's dossier under review on the call, B's decided, A's draft on another.
    call = factories.make_call(programme=programme, title="Appel principal", slug="appel-access")
    draft_call = factories.make_call(programme=programme, title="Appel 2", slug="appel-access-2")
    dossier_a = _submitted(call, structure_a, editor_a, staff)
    attachment_a = _attachment(dossier_a, "budget.pdf")
    dossier_b = _submitted(call, structure_b, owner_b, staff)
    draft_a = factories.make_dossier(call=draft_call, structure=structure_a, created_by=editor_a)
    draft_attachment = _attachment(draft_a, "statuts.pdf")
    phase = save_phase(
        call,
        {
            "name": "Lecture",
            "starts_at": now - timedelta(days=1),
            "ends_at": now + timedelta(days=10),
            "presidents_only": False,
            "peer_scores": "never",
            "blind": True,
        },
        staff,
    )

    # The jury: assigned and cleared, assigned with a conflict, on the call but not on A.
    juror_user = factories.UserFactory(email="juror@access.example.org")
    juror_cx_user = factories.UserFactory(email="juror.cx@access.example.org")
    juror_out_user = factories.UserFactory(email="juror.out@access.example.org")
    juror = _juror(call, juror_user, staff)
    juror_cx = _juror(call, juror_cx_user, staff)
    juror_out = _juror(call, juror_out_user, staff)
    assign(juror, dossier_a, staff, notify=False)
    assign(juror_cx, dossier_a, staff, notify=False)
    assign(juror_out, dossier_b, staff, notify=False)
    declare_conflict(juror, dossier_a, "none", "", juror_user)
    declare_conflict(juror_cx, dossier_a, "personal", "", juror_cx_user)
    declare_conflict(juror_out, dossier_b, "none", "", juror_out_user)
    leak_report = report_leak(dossier_a, juror_user, "Le budget cite le nom de la structure.")
    pending_juror = invite_juror(call, "future.juror@access.example.org", "member", actor=staff)
    decide(dossier_b, "reject", staff, "Hors du périmètre de l'appel.")

    # A's people: a pending invitation and a request to join.
    invitation = invite_member(structure_a, owner_a, "invitee@access.example.org", "viewer")
    stranger = factories.UserFactory(email="stranger@access.example.org")
    join_request = request_to_join(structure_a, stranger, "Je travaille avec vous.")

    # The journey: A and D accompanied in one cohort, with what the stages record.
    cohort = create_cohort(programme, manager, name="Cohorte 2026", year=2026)
    accompaniment_a = add_structure(cohort, structure_a, Source.PARTNER_NETWORK, manager)
    accompaniment_d = add_structure(cohort, structure_d, Source.PARTNER_NETWORK, manager)
    assert accompaniment_a.support_point == point_a
    # E (Loiret) left the programme: its support point no longer follows it.
    structure_e = factories.StructureFactory(name="Épicerie E", department=loiret)
    accompaniment_e = add_structure(cohort, structure_e, Source.PARTNER_NETWORK, manager)
    accompaniment_e = change_stage(accompaniment_e, "exit", manager, reason="Projet arrêté.")
    milestone_a = add_milestone(accompaniment_a, manager, "Rapport d'étape", owner="structure")
    grant = record_seed_grant(accompaniment_a, manager, Decimal("10000"), "Région")
    fundraising_round = record_round(accompaniment_a, manager, Decimal("50000"))
    Note.objects.create(
        accompaniment=accompaniment_a, author=manager, body="Bon départ.", visibility="everyone"
    )
    document = Document.objects.create(
        accompaniment=accompaniment_a,
        title="Convention",
        file=_pdf("convention.pdf"),
        original_name="convention.pdf",
        content_type="application/pdf",
        size=len(PDF),
        visibility="everyone",
        uploaded_by=manager,
    )
    obstacle = report_obstacle(accompaniment_a, owner_a, "Code du travail, L. 1234", "L'embauche")
    # Impact measurement: A's plan (not agreed yet) and its reports, the first with evidence.
    plan_line = save_line(
        accompaniment_a,
        manager,
        Indicator.objects.get(code="jobs-fte"),
        baseline="2",
        baseline_on=now.date() - timedelta(days=30),
        target="5",
        target_on=now.date() + timedelta(days=365),
    )
    report_a = schedule_reports(accompaniment_a)[0]
    evidence = ReportEvidence.objects.create(
        report=report_a,
        file=_pdf("preuve.pdf"),
        original_name="preuve.pdf",
        content_type="application/pdf",
        size=len(PDF),
        uploaded_by=editor_a,
    )

    # Wagtail: a public document for the documents tree.
    from wagtail.documents.models import Document as WagtailDocument

    public_document = WagtailDocument.objects.create(
        title="Règlement", file=ContentFile(b"Reglement", name="reglement.txt")
    )

    # Notifications: a notice in owner A's bell, a one-click unsubscribe link of theirs, and an
    # e-mail that failed, for the staff's "send again".
    from types import SimpleNamespace

    from workers import preferences
    from workers.models import Notification, OutboxMessage, OutboxStatus

    notification = Notification.objects.create(
        recipient=owner_a, topic="dossier_news", text="Dossier reçu", link="/me/"
    )
    unsubscribe = SimpleNamespace(token=preferences.unsubscribe_token(owner_a, "jury_news"))
    failed_message = OutboxMessage.objects.create(
        key="access:failed",
        to=owner_a.email,
        language="fr",
        subject="Dossier reçu",
        body_text="…",
        status=OutboxStatus.FAILED,
        last_error="SMTPServerDisconnected()",
    )

    # The public site: owner A's proposal waits for moderation (a refusal must not reveal it);
    # another proposal went through the moderation runner and is published; editor A manages
    # a published actor of the directory.
    proposed_entry = make_entry(
        state="proposed", proposer=owner_a, department=loiret, title="Proposition de A"
    )
    published_entry = run_entry(
        make_entry(state="proposed", department=loiret, title="Forum publié"), "approve", staff
    )
    published_actor = make_actor(department=loiret, managers=[editor_a], name="Acteur publié")

    assert SeedGrant.objects.filter(pk=grant.pk).exists()
    assert FundraisingRound.objects.filter(pk=fundraising_round.pk).exists()
    assert SupportPoint.objects.count() == 2
    return World(
        people={
            "anon": None,
            "owner_B": owner_b,
            "viewer_A": viewer_a,
            "editor_A": editor_a,
            "owner_A": owner_a,
            "juror": juror_user,
            "juror_cx": juror_cx_user,
            "juror_out": juror_out_user,
            "sp_A": sp_a,
            "sp_far": sp_far,
            "accomp_D": owner_d,
            "staff": staff,
            "manager": manager,
            "super": superuser,
        },
        objects={
            "structure_A": structure_a,
            "structure_C": structure_c,
            "structure_E": structure_e,
            "accompaniment_E": accompaniment_e,
            "viewer_membership_A": viewer_a.memberships.get(),
            "invitation_A": invitation,
            "join_request_A": join_request,
            "call": call,
            "draft_call": draft_call,
            "dossier_A": dossier_a,
            "dossier_B": dossier_b,
            "draft_A": draft_a,
            "attachment_A": attachment_a,
            "draft_attachment_A": draft_attachment,
            "phase": phase,
            "juror_cx": juror_cx,
            "pending_juror": pending_juror,
            "leak_report": leak_report,
            "cohort": cohort,
            "accompaniment_A": accompaniment_a,
            "accompaniment_D": accompaniment_d,
            "milestone_A": milestone_a,
            "grant_A": grant,
            "round_A": fundraising_round,
            "document_A": document,
            "obstacle_A": obstacle,
            "programme": programme,
            "plan_line_A": plan_line,
            "report_A": report_a,
            "evidence_A": evidence,
            "public_document": public_document,
            "person_A": owner_a,
            "notification_A": notification,
            "unsubscribe_A": unsubscribe,
            "failed_message": failed_message,
            "entry_proposed": proposed_entry,
            "entry_published": published_entry,
            "actor_published": published_actor,
        },
    )


# --- the keyword arguments of every project URL, by URL name. A value is the name of an object of
# the world (its pk is used), or a literal between quotes ("'start_labelling'"), or an attribute
# path ("invitation_A.token"). Rows of the matrix written "name [variant]" have their own line.
KWARGS = {
    "accelerator:join_request": {"siret": "structure_A.siret"},
    "accelerator:structure": {"pk": "structure_A"},
    "accelerator:structure [C]": {"pk": "structure_C"},
    "accelerator:structure [E]": {"pk": "structure_E"},
    "accelerator:structure_edit": {"pk": "structure_A"},
    "accelerator:members": {"pk": "structure_A"},
    "accelerator:members [C]": {"pk": "structure_C"},
    "accelerator:invite": {"pk": "structure_A"},
    "accelerator:change_role": {"pk": "structure_A", "membership_pk": "viewer_membership_A"},
    "accelerator:set_contact": {"pk": "structure_A", "membership_pk": "viewer_membership_A"},
    "accelerator:remove_member": {"pk": "structure_A", "membership_pk": "viewer_membership_A"},
    "accelerator:leave": {"pk": "structure_A"},
    "accelerator:revoke_invitation": {"pk": "structure_A", "invitation_pk": "invitation_A"},
    "accelerator:decide_join_request": {"pk": "structure_A", "join_request_pk": "join_request_A"},
    "accelerator:invitation": {"token": "invitation_A.token"},
    "accelerator:cohort_board": {"pk": "cohort"},
    "accelerator:cohort_export_csv": {"pk": "cohort"},
    "accelerator:cohort_export_xlsx": {"pk": "cohort"},
    "accelerator:cohort_add_structure": {"pk": "cohort"},
    "accelerator:accompaniment": {"pk": "accompaniment_A"},
    "accelerator:accompaniment [D]": {"pk": "accompaniment_D"},
    "accelerator:accompaniment [E]": {"pk": "accompaniment_E"},
    "accelerator:accompaniment_move": {"pk": "accompaniment_A", "name": "'start_labelling'"},
    "accelerator:accompaniment_moves": {"pk": "accompaniment_A"},
    "accelerator:accompaniment_people": {"pk": "accompaniment_A"},
    "accelerator:accompaniment_milestone_add": {"pk": "accompaniment_A"},
    "accelerator:accompaniment_milestone_status": {
        "pk": "accompaniment_A",
        "milestone_pk": "milestone_A",
    },
    "accelerator:accompaniment_label_decision": {"pk": "accompaniment_A"},
    "accelerator:accompaniment_seed_grant": {"pk": "accompaniment_A"},
    "accelerator:accompaniment_agreement": {"pk": "accompaniment_A", "grant_pk": "grant_A"},
    "accelerator:accompaniment_payment": {"pk": "accompaniment_A", "grant_pk": "grant_A"},
    "accelerator:accompaniment_round": {"pk": "accompaniment_A"},
    "accelerator:accompaniment_skip": {"pk": "accompaniment_A"},
    "accelerator:accompaniment_commitment": {"pk": "accompaniment_A", "round_pk": "round_A"},
    "accelerator:accompaniment_round_close": {"pk": "accompaniment_A", "round_pk": "round_A"},
    "accelerator:accompaniment_round_skip": {"pk": "accompaniment_A", "round_pk": "round_A"},
    "accelerator:accompaniment_note": {"pk": "accompaniment_A"},
    "accelerator:accompaniment_document_add": {"pk": "accompaniment_A"},
    "accelerator:accompaniment_document": {"pk": "accompaniment_A", "document_pk": "document_A"},
    "accelerator:accompaniment_document_remove": {
        "pk": "accompaniment_A",
        "document_pk": "document_A",
    },
    "accelerator:obstacle": {"pk": "obstacle_A"},
    "accelerator:obstacle_move": {"pk": "obstacle_A"},
    "accelerator:obstacle_report": {"pk": "accompaniment_A"},
    "accelerator:structure_journey": {"pk": "structure_A"},
    "accelerator:structure_milestone_status": {"pk": "structure_A", "milestone_pk": "milestone_A"},
    "accelerator:impact": {"pk": "accompaniment_A"},
    "accelerator:impact [D]": {"pk": "accompaniment_D"},
    "accelerator:impact [E]": {"pk": "accompaniment_E"},
    "accelerator:impact_plan_line": {"pk": "accompaniment_A"},
    "accelerator:impact_plan_line_remove": {"pk": "accompaniment_A", "line_pk": "plan_line_A"},
    "accelerator:impact_plan_agree": {"pk": "accompaniment_A"},
    "accelerator:impact_publication": {"pk": "accompaniment_A"},
    "accelerator:impact_summary_pdf": {"pk": "accompaniment_A"},
    "accelerator:impact_report": {"pk": "report_A"},
    "accelerator:impact_report_evidence_add": {"pk": "report_A"},
    "accelerator:impact_report_evidence": {"pk": "report_A", "evidence_pk": "evidence_A"},
    "accelerator:impact_report_evidence_remove": {"pk": "report_A", "evidence_pk": "evidence_A"},
    "accelerator:impact_report_correct": {"pk": "report_A"},
    "accelerator:impact_report_move": {"pk": "report_A", "name": "'validate'"},
    "accelerator:impact_report_comment": {"pk": "report_A"},
    "accelerator:cohort_impact": {"pk": "cohort"},
    "accelerator:cohort_reporting_schedule": {"pk": "cohort"},
    "accelerator:cohort_impact_csv": {"pk": "cohort"},
    "accelerator:cohort_impact_xlsx": {"pk": "cohort"},
    "accelerator:cohort_impact_pdf": {"pk": "cohort"},
    "accelerator:programme_impact": {"pk": "programme"},
    "applications:start_dossier": {"call_id": "call"},
    "applications:dossier [B]": {"dossier_id": "dossier_B"},
    "applications:dossier_pdf [B]": {"dossier_id": "dossier_B"},
    "applications:autosave": {"dossier_id": "draft_A"},
    "applications:withdraw": {"dossier_id": "dossier_A"},
    "applications:attachment": {"dossier_id": "dossier_A", "attachment_id": "attachment_A"},
    "applications:delete_attachment": {
        "dossier_id": "draft_A",
        "attachment_id": "draft_attachment_A",
    },
    "applications:staff_transition": {"dossier_id": "dossier_A", "name": "'request_info'"},
    "applications:staff_jury_remove": {"call_id": "call", "juror_id": "juror_cx"},
    "applications:jury_invitation": {"token": "pending_juror.token"},
    "applications:staff_resolve_leak_report": {
        "dossier_id": "dossier_A",
        "report_id": "leak_report",
    },
    "applications:juror_file": {"dossier_id": "dossier_A", "number": "'1'"},
    "applications:staff_assignments_juror": {"call_id": "call", "juror_id": "juror_cx"},
    "applications:staff_review_phase": {"call_id": "call", "phase_id": "phase"},
    "applications:staff_review_phase_delete": {"call_id": "call", "phase_id": "phase"},
    "applications:staff_ranking_export": {"call_id": "call", "fmt": "'csv'"},
    "applications:staff_decision": {"call_id": "call", "dossier_id": "dossier_A"},
    "applications:staff_quick_shortlist": {"call_id": "call", "dossier_id": "dossier_A"},
    "applications:staff_letter": {"call_id": "call", "dossier_id": "dossier_B"},
    "workers:notification_open": {"pk": "notification_A"},
    "workers:unsubscribe": {"token": "unsubscribe_A.token"},
    "workers:deliveries_dossier": {"pk": "dossier_A"},
    "workers:deliveries_structure": {"pk": "structure_A"},
    "workers:deliveries_person": {"pk": "person_A"},
    "workers:delivery_retry": {"pk": "failed_message"},
    "cms:agenda_entry": {"pk": "entry_published"},
    "cms:agenda_entry [proposed]": {"pk": "entry_proposed"},
    "cms:agenda_entry_ical": {"pk": "entry_published"},
    "cms:agenda_entry_ical [proposed]": {"pk": "entry_proposed"},
    "cms:agenda_edit": {"pk": "entry_proposed"},
    "cms:agenda_edit [published]": {"pk": "entry_published"},
    "cms:actor": {"pk": "actor_published"},
    "portfolio:consent": {"pk": "structure_A"},
    "portfolio:consent [C]": {"pk": "structure_C"},
    "portfolio:withdraw": {"pk": "structure_A"},
    "cms:switch_language": {"language": "'fr'"},
    "cms:actor_edit": {"pk": "actor_published"},
}

# Keyword arguments that mean the same object wherever they appear.
DEFAULT_KWARGS = {"call_id": "call", "dossier_id": "dossier_A"}


def kwarg_value(world, spec):
    """The value a KWARGS entry names: a quoted literal, an object's pk, or an attribute path."""
    if spec.startswith("'"):
        return spec.strip("'")
    name, _dot, attribute = spec.partition(".")
    obj = world.objects[name]
    return getattr(obj, attribute) if attribute else obj.pk
