"""Around the journey (accelerator.domain.followup and timeline): milestones from the programme's
templates and by hand, the overdue flag, who reads and writes notes and documents, and the
timeline cut to each reader."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accelerator.domain.cohorts import add_structure
from accelerator.domain.followup import (
    add_document,
    add_milestone,
    add_note,
    audience,
    open_stage_milestones,
    remove_document,
    set_milestone_status,
    visible_to,
)
from accelerator.domain.journey import change_stage
from accelerator.domain.obstacles import change_obstacle_state, report_obstacle
from accelerator.domain.timeline import timeline
from accelerator.models import (
    Cohort,
    Document,
    Milestone,
    MilestoneTemplate,
    Note,
    Stage,
    Visibility,
)
from tests import factories
from tests.accelerator.test_journey_transitions import fulfil, make_accompaniment

S = Stage
V = Visibility
PDF = b"%PDF-1.4\n" + b"0" * 200
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200


def upload(name="convention.pdf", content=PDF):
    return SimpleUploadedFile(name, content)


def template(stage, title, days=None, programme=None, **fields):
    return MilestoneTemplate.objects.create(
        programme=programme or factories.ProgrammeFactory(),
        stage=stage,
        title=title,
        due_after_days=days,
        **fields,
    )


@pytest.fixture
def accompaniment(structure):
    return make_accompaniment(structure=structure)


@pytest.fixture
def readers(people, manager, far_support_point_user):
    return {**people, "manager": manager, "far_support_point": far_support_point_user}


# --- milestones from the programme's templates


def test_entering_a_stage_creates_its_milestones_due_n_days_later(accompaniment, manager):
    visit = template(
        S.LABELLING,
        "Dossier de labellisation",
        days=30,
        owner="structure",
        description="Le dossier pour le comité.",
        position=2,
    )
    meeting = template(S.LABELLING, "Rencontre du référent", days=7, owner="staff", position=1)
    template(S.LABELLING, "Sans échéance", position=3)
    template(S.LABELLING, "Retiré", days=3, active=False)
    template(S.SEED_FUNDING, "Plus tard", days=3)
    other = factories.ProgrammeFactory(slug="other", name="Other")
    template(S.LABELLING, "Autre programme", days=3, programme=other)
    fulfil(accompaniment, "start_labelling")

    moved = change_stage(accompaniment, "start_labelling", manager)

    today = timezone.localdate()
    created = Milestone.objects.filter(accompaniment=moved, stage=S.LABELLING).order_by("pk")
    assert [(m.title, m.due_on, m.owner, m.template) for m in created] == [
        ("Rencontre du référent", today + datetime.timedelta(days=7), "staff", meeting),
        ("Dossier de labellisation", today + datetime.timedelta(days=30), "structure", visit),
        ("Sans échéance", None, "structure", created[2].template),
    ]
    assert created[1].description == "Le dossier pour le comité."
    assert {m.created_by for m in created} == {manager}
    assert all(m.status == "open" for m in created)


def test_a_stage_entered_again_after_a_pause_keeps_its_milestones(accompaniment, manager):
    template(S.LABELLING, "Dossier", days=30)
    fulfil(accompaniment, "start_labelling")
    moved = change_stage(accompaniment, "start_labelling", manager)
    first = Milestone.objects.get(accompaniment=moved, title="Dossier")
    set_milestone_status(first, "done", manager)
    paused = change_stage(moved, "pause", manager)
    resumed = change_stage(paused, "resume", manager)
    assert resumed.stage == S.LABELLING
    milestones = Milestone.objects.filter(accompaniment=moved, title="Dossier")
    assert [(m.pk, m.status) for m in milestones] == [(first.pk, "done")]
    assert open_stage_milestones(resumed) == []


def test_joining_a_cohort_creates_the_sourcing_milestones(structure, manager):
    diagnostic = template(S.SOURCING, "Diagnostic", days=14, kind="diagnostic")
    template(S.LABELLING, "Plus tard", days=3)
    cohort = Cohort.objects.create(
        programme=factories.ProgrammeFactory(), name="Cohorte 2026", year=2026
    )
    accompaniment = add_structure(cohort, structure, "event", manager)
    milestones = list(Milestone.objects.filter(accompaniment=accompaniment))
    assert [(m.title, m.kind, m.stage, m.template) for m in milestones] == [
        ("Diagnostic", "diagnostic", S.SOURCING, diagnostic)
    ]
    assert milestones[0].due_on == timezone.localdate() + datetime.timedelta(days=14)
    # Joining again changes nothing.
    add_structure(cohort, structure, "event", manager)
    assert Milestone.objects.filter(accompaniment=accompaniment).count() == 1


def test_paused_exited_and_alumni_stages_have_no_templates(accompaniment):
    assert open_stage_milestones(accompaniment, stage=S.PAUSED) == []
    assert open_stage_milestones(accompaniment, stage=S.ALUMNI) == []


# --- the overdue flag


def test_only_an_open_milestone_past_its_due_date_is_overdue(accompaniment, staff):
    today = datetime.date(2026, 5, 10)
    late = add_milestone(accompaniment, staff, "En retard", due_on=datetime.date(2026, 5, 9))
    due_today = add_milestone(accompaniment, staff, "Aujourd'hui", due_on=today)
    no_date = add_milestone(accompaniment, staff, "Sans date")
    done = add_milestone(accompaniment, staff, "Fait", due_on=datetime.date(2026, 1, 1))
    set_milestone_status(done, "done", staff)
    dropped = add_milestone(accompaniment, staff, "Abandonné", due_on=datetime.date(2026, 1, 1))
    set_milestone_status(dropped, "dropped", staff)
    assert late.is_overdue(today)
    assert not due_today.is_overdue(today)
    assert not no_date.is_overdue(today)
    assert not done.is_overdue(today) and not dropped.is_overdue(today)


def test_overdue_is_counted_in_paris_days(accompaniment, staff):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    assert add_milestone(accompaniment, staff, "Hier", due_on=yesterday).is_overdue()


# --- milestones by hand and their status


def test_staff_add_a_milestone_in_the_current_stage_by_default(accompaniment, staff):
    milestone = add_milestone(accompaniment, staff, "  Visite  ", owner="staff")
    assert (milestone.title, milestone.stage, milestone.owner, milestone.created_by) == (
        "Visite",
        S.SOURCING,
        "staff",
        staff,
    )
    with pytest.raises(ValidationError):
        add_milestone(accompaniment, staff, "  ")
    with pytest.raises(ValueError):
        add_milestone(accompaniment, staff, "Visite", status="done")


@pytest.mark.parametrize("role", ["owner", "editor", "viewer", "outsider", "support_point"])
def test_only_staff_add_milestones(accompaniment, people, role):
    with pytest.raises(PermissionDenied):
        add_milestone(accompaniment, people[role], "Visite")
    assert not Milestone.objects.filter(title="Visite").exists()


@pytest.mark.parametrize(
    ("role", "structure_owned", "staff_owned"),
    [
        ("staff", True, True),
        ("owner", True, False),
        ("editor", True, False),
        ("viewer", False, False),
        ("support_point", False, False),
        ("outsider", False, False),
    ],
)
def test_who_closes_a_milestone(accompaniment, people, staff, role, structure_owned, staff_owned):
    for owner, allowed in (("structure", structure_owned), ("staff", staff_owned)):
        milestone = add_milestone(accompaniment, staff, f"Jalon {owner}", owner=owner)
        if allowed:
            set_milestone_status(milestone, "done", people[role])
            milestone.refresh_from_db()
            assert (milestone.status, milestone.closed_by) == ("done", people[role])
            assert milestone.closed_at is not None
        else:
            with pytest.raises(PermissionDenied):
                set_milestone_status(milestone, "done", people[role])
            milestone.refresh_from_db()
            assert milestone.status == "open"


def test_reopening_forgets_who_closed_and_an_unknown_status_is_refused(accompaniment, staff):
    milestone = add_milestone(accompaniment, staff, "Jalon")
    set_milestone_status(milestone, "dropped", staff)
    set_milestone_status(milestone, "open", staff)
    milestone.refresh_from_db()
    assert (milestone.status, milestone.closed_at, milestone.closed_by) == ("open", None, None)
    with pytest.raises(ValidationError):
        set_milestone_status(milestone, "finished", staff)


# --- audience of notes and documents


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("staff", [V.STAFF, V.SUPPORT_POINT, V.EVERYONE]),
        ("manager", [V.STAFF, V.SUPPORT_POINT, V.EVERYONE]),
        ("support_point", [V.SUPPORT_POINT, V.EVERYONE]),
        ("owner", [V.EVERYONE]),
        ("editor", [V.EVERYONE]),
        ("viewer", [V.EVERYONE]),
        ("outsider", []),
        ("far_support_point", []),
    ],
)
def test_each_role_reads_its_audiences(accompaniment, readers, staff, role, expected):
    assert audience(readers[role], accompaniment) == expected
    for visibility in V.values:
        add_note(accompaniment, staff, f"Pour {visibility}", visibility)
        add_document(accompaniment, staff, upload(), f"Doc {visibility}", visibility)
    notes = visible_to(Note.objects.all(), readers[role], accompaniment)
    documents = visible_to(Document.objects.all(), readers[role], accompaniment)
    assert sorted(n.visibility for n in notes) == sorted(expected)
    assert sorted(d.visibility for d in documents) == sorted(expected)


def test_visible_to_keeps_to_the_accompaniment(accompaniment, staff):
    other = make_accompaniment()
    add_note(other, staff, "Ailleurs", V.EVERYONE)
    assert not visible_to(Note.objects.all(), staff, accompaniment).exists()


def test_the_support_point_cannot_write_for_staff_only(accompaniment, support_point_user):
    with pytest.raises(ValidationError) as refused:
        add_note(accompaniment, support_point_user, "Pour l'équipe seulement.", V.STAFF)
    assert refused.value.code == "visibility"
    with pytest.raises(ValidationError):
        add_document(accompaniment, support_point_user, upload(), "Interne", V.STAFF)
    assert not Note.objects.exists() and not Document.objects.exists()
    note = add_note(accompaniment, support_point_user, "Vu en mairie.", V.SUPPORT_POINT)
    assert (note.author, note.visibility) == (support_point_user, V.SUPPORT_POINT)


@pytest.mark.parametrize("role", ["owner", "editor", "viewer", "outsider", "far_support_point"])
def test_members_and_outsiders_do_not_annotate(accompaniment, readers, role):
    with pytest.raises(PermissionDenied):
        add_note(accompaniment, readers[role], "Une note.", V.EVERYONE)
    with pytest.raises(PermissionDenied):
        add_document(accompaniment, readers[role], upload(), "Un document", V.EVERYONE)
    assert not Note.objects.exists() and not Document.objects.exists()


def test_a_note_needs_text_and_a_known_audience(accompaniment, staff):
    with pytest.raises(ValidationError) as refused:
        add_note(accompaniment, staff, "   ", V.STAFF)
    assert refused.value.code == "empty"
    with pytest.raises(ValidationError) as refused:
        add_note(accompaniment, staff, "Texte", "public")
    assert refused.value.code == "visibility"
    assert add_note(accompaniment, staff, "  Texte  ").body == "Texte"


# --- documents checked by their content


def test_a_document_is_stored_with_the_type_its_content_shows(accompaniment, staff):
    document = add_document(accompaniment, staff, upload("Statuts 2026.PDF"), "", V.EVERYONE)
    assert (document.title, document.original_name, document.content_type) == (
        "Statuts 2026.PDF",
        "Statuts 2026.PDF",
        "application/pdf",
    )
    assert document.size == len(PDF)
    assert document.file.name.startswith(f"accompaniments/{accompaniment.pk}/statuts-2026")
    with document.file.open("rb") as handle:
        assert handle.read() == PDF


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("script.pdf", b"#!/bin/sh\nrm -rf /\n" * 20, "type"),
        ("photo.pdf", PNG, "mismatch"),
        ("vide.pdf", b"", "empty"),
    ],
)
def test_a_document_is_refused_by_its_content(accompaniment, staff, name, content, code):
    with pytest.raises(ValidationError) as refused:
        add_document(accompaniment, staff, upload(name, content), "Titre", V.STAFF)
    assert refused.value.code == code
    assert name in refused.value.messages[0]
    assert not Document.objects.exists()


def test_a_document_too_big_is_refused(accompaniment, staff, settings):
    settings.ESSOR_MAX_UPLOAD_MB = 1
    big = upload("gros.pdf", PDF + b"0" * (1024 * 1024))
    with pytest.raises(ValidationError) as refused:
        add_document(accompaniment, staff, big, "Gros", V.STAFF)
    assert refused.value.code == "too_big"


def test_staff_or_the_uploader_remove_a_document_and_its_file(
    accompaniment, staff, support_point_user, django_capture_on_commit_callbacks
):
    document = add_document(
        accompaniment, support_point_user, upload(), "Compte rendu", V.SUPPORT_POINT
    )
    storage, name = document.file.storage, document.file.name
    other_point = factories.UserFactory()
    factories.SupportPointFactory(department=accompaniment.structure.department).members.add(
        other_point
    )
    with pytest.raises(PermissionDenied):
        remove_document(document, other_point)
    with django_capture_on_commit_callbacks(execute=True):
        remove_document(document, support_point_user)
    assert not Document.objects.exists()
    assert not storage.exists(name)
    theirs = add_document(accompaniment, support_point_user, upload(), "Autre", V.EVERYONE)
    with django_capture_on_commit_callbacks(execute=True):
        remove_document(theirs, staff)
    assert not Document.objects.exists()


# --- the timeline


def _everything(accompaniment, manager, support_point_user, owner, n=1):
    for i in range(n):
        milestone = add_milestone(accompaniment, manager, f"Jalon {i}")
        set_milestone_status(milestone, "done", manager)
        add_note(accompaniment, manager, f"Staff {i}", V.STAFF)
        add_note(accompaniment, support_point_user, f"Point {i}", V.SUPPORT_POINT)
        add_note(accompaniment, manager, f"Tous {i}", V.EVERYONE)
        add_document(accompaniment, manager, upload(), f"Doc staff {i}", V.STAFF)
        add_document(accompaniment, manager, upload(), f"Doc tous {i}", V.EVERYONE)
        obstacle = report_obstacle(accompaniment, owner, f"Code {i}", "La vente directe")
        change_obstacle_state(obstacle, "review", manager, "Nous regardons.")


def _texts(entries):
    return {
        getattr(entry.obj, "body", None) or getattr(entry.obj, "title", None)
        for entry in entries
        if entry.kind in ("note", "document")
    }


def test_the_timeline_has_every_kind_newest_first(
    accompaniment, manager, support_point_user, owner
):
    fulfil(accompaniment, "start_labelling")
    change_stage(accompaniment, "start_labelling", manager, comment="Diagnostic fait.")
    _everything(accompaniment, manager, support_point_user, owner)
    entries = timeline(accompaniment, manager)
    assert {entry.kind for entry in entries} == {
        "transition",
        "milestone_added",
        "milestone_closed",
        "note",
        "document",
        "obstacle_reported",
        "obstacle_moved",
    }
    moments = [entry.at for entry in entries]
    assert moments == sorted(moments, reverse=True)
    assert len(timeline(accompaniment, manager, limit=3)) == 3
    # Staff see who did what.
    assert not any(entry.extra.get("from_programme") for entry in entries)


def test_the_timeline_is_cut_to_each_reader(
    accompaniment, readers, manager, support_point_user, owner
):
    _everything(accompaniment, manager, support_point_user, owner)
    assert _texts(timeline(accompaniment, readers["staff"])) == {
        "Staff 0",
        "Point 0",
        "Tous 0",
        "Doc staff 0",
        "Doc tous 0",
    }
    assert _texts(timeline(accompaniment, support_point_user)) == {
        "Point 0",
        "Tous 0",
        "Doc tous 0",
    }
    for role in ("owner", "editor", "viewer"):
        assert _texts(timeline(accompaniment, readers[role])) == {"Tous 0", "Doc tous 0"}
    for role in ("outsider", "far_support_point"):
        assert timeline(accompaniment, readers[role]) == []


def test_the_structure_sees_the_programme_not_the_staff_member(
    accompaniment, manager, support_point_user, owner, editor
):
    _everything(accompaniment, manager, support_point_user, owner)
    entries = timeline(accompaniment, editor)
    by_staff = [entry for entry in entries if entry.actor == manager]
    assert by_staff and all(entry.extra.get("from_programme") for entry in by_staff)
    # What the structure's own people did stays theirs.
    reported = next(entry for entry in entries if entry.kind == "obstacle_reported")
    assert reported.actor == owner and not reported.extra.get("from_programme")
    # The support point's readers see names.
    assert not any(
        entry.extra.get("from_programme") for entry in timeline(accompaniment, support_point_user)
    )


def test_the_timeline_runs_the_same_queries_whatever_its_length(
    accompaniment, manager, support_point_user, owner
):
    _everything(accompaniment, manager, support_point_user, owner, n=1)
    with CaptureQueriesContext(connection) as one:
        timeline(accompaniment, support_point_user)
    _everything(accompaniment, manager, support_point_user, owner, n=15)
    with CaptureQueriesContext(connection) as many:
        entries = timeline(accompaniment, support_point_user)
    assert len(many) == len(one)
    assert len([entry for entry in entries if entry.kind == "obstacle_moved"]) == 16
