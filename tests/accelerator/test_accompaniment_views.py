"""An accompaniment's page: who sees it, moving the structure from it, who follows it, milestones,
notes and documents, the timeline, and a constant number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accelerator.domain.followup import (
    add_document,
    add_milestone,
    add_note,
    set_milestone_status,
)
from accelerator.domain.journey import change_stage, disburse
from accelerator.domain.obstacles import change_obstacle_state, report_obstacle
from accelerator.domain.timeline import timeline
from accelerator.models import (
    Accompaniment,
    AccompanimentTransition,
    Document,
    FundraisingCommitment,
    FundraisingRound,
    LabelDecision,
    Milestone,
    Note,
    SeedGrant,
    Stage,
)
from tests import factories
from tests.accelerator.test_journey_transitions import fulfil, make_accompaniment

S = Stage
PDF = b"%PDF-1.4\n" + b"0" * 200


def pdf(name="convention.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def page(accompaniment):
    return reverse("accelerator:accompaniment", kwargs={"pk": accompaniment.pk})


def url(view, accompaniment, **kwargs):
    return reverse(f"accelerator:{view}", kwargs={"pk": accompaniment.pk, **kwargs})


@pytest.fixture
def accompaniment(structure):
    return make_accompaniment(structure=structure, stage=S.LABELLING)


# --- who sees the page


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", "login"),
        ("outsider", 404),
        ("far_support_point", 404),
        ("viewer", "journey"),
        ("editor", "journey"),
        ("owner", "journey"),
        ("staff", 200),
        ("manager", 200),
        ("support_point", 200),
    ],
)
def test_who_sees_the_page(
    accompaniment, people, manager, far_support_point_user, client_for, role, expected
):
    user = {"manager": manager, "far_support_point": far_support_point_user}.get(role) or people[
        role
    ]
    response = client_for(user).get(page(accompaniment))
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    elif expected == "journey":
        assert response.status_code == 302
        assert response["Location"] == reverse(
            "accelerator:structure_journey", kwargs={"pk": accompaniment.structure_id}
        )
    else:
        assert response.status_code == expected


def test_an_unknown_accompaniment_is_a_404(db, staff, client_for):
    assert client_for(staff).get("/me/accompaniments/999999/").status_code == 404
    assert (
        client_for(staff).get(reverse("accelerator:accompaniment", kwargs={"pk": 999999}))
    ).status_code == 404


def test_the_page_shows_where_the_structure_stands(accompaniment, manager, client_for):
    referent = factories.StaffFactory(first_name="Inès", last_name="Garnier")
    point = factories.SupportPointFactory(
        name="Point d'appui du Loiret", department=accompaniment.structure.department
    )
    Accompaniment.objects.filter(pk=accompaniment.pk).update(
        referent=referent, support_point=point, source_reference="D-00042"
    )
    html = client_for(manager).get(page(accompaniment)).content.decode()
    structure, cohort = accompaniment.structure, accompaniment.cohort
    assert reverse("accelerator:structure", args=[structure.pk]) in html
    assert reverse("accelerator:cohort_board", kwargs={"pk": cohort.pk}) in html
    assert "Call for applications" in html and "D-00042" in html
    assert "Inès Garnier" in html and "Point d&#x27;appui du Loiret" in html
    assert "In this stage since " in html
    # The progress: sourcing done, labelling current, the rest to come.
    assert 'journey-step--done">\n    Sourcing' in html
    assert 'journey-step--current" aria-current="step">\n    Labelling' in html
    assert 'journey-step--todo">\n    Seed funding' in html
    # What the next stage needs: the reason change_stage would give now.
    assert "Before moving on to “Seed funding”" in html
    assert "labelling committee decision “granted” must be recorded" in html


def test_time_in_stage_counts_days(accompaniment, manager, client_for):
    Accompaniment.objects.filter(pk=accompaniment.pk).update(
        stage_entered_at=timezone.now() - datetime.timedelta(days=12)
    )
    assert (
        "In this stage for 12 days, since"
        in client_for(manager).get(page(accompaniment)).content.decode()
    )


def test_only_movers_see_the_buttons_and_the_record_forms(
    accompaniment, manager, staff, support_point_user, client_for
):
    moving = client_for(manager).get(page(accompaniment)).content.decode()
    assert "Move to Seed funding" in moving
    assert "Pause the accompaniment" in moving and "Exit the programme" in moving
    assert url("accompaniment_label_decision", accompaniment) in moving
    assert url("accompaniment_people", accompaniment) in moving
    for reader in (staff, support_point_user):
        html = client_for(reader).get(page(accompaniment)).content.decode()
        assert "Move to Seed funding" not in html
        assert url("accompaniment_move", accompaniment, name="pause") not in html
        assert url("accompaniment_label_decision", accompaniment) not in html
        assert url("accompaniment_seed_grant", accompaniment) not in html
        assert url("accompaniment_round", accompaniment) not in html
        assert url("accompaniment_people", accompaniment) not in html
        # Both annotate.
        assert url("accompaniment_note", accompaniment) in html
        assert url("accompaniment_document_add", accompaniment) in html
    # Plain staff add milestones; the support point does not.
    assert (
        url("accompaniment_milestone_add", accompaniment)
        in client_for(staff).get(page(accompaniment)).content.decode()
    )
    assert (
        url("accompaniment_milestone_add", accompaniment)
        not in client_for(support_point_user).get(page(accompaniment)).content.decode()
    )


def test_a_paused_structure_offers_resume_and_exit_only(accompaniment, manager, client_for):
    change_stage(accompaniment, "pause", manager)
    html = client_for(manager).get(page(accompaniment)).content.decode()
    assert "Resume in Labelling" in html and "Exit the programme" in html
    assert "Move to" not in html and "Pause the accompaniment" not in html
    assert "resume it before moving on" in html
    assert 'journey-step--paused" aria-current="step">\n    Labelling' in html


# --- moving the structure


def test_a_refused_move_shows_why_and_keeps_the_comment(accompaniment, manager, client_for):
    response = client_for(manager).post(
        url("accompaniment_move", accompaniment, name="start_seed_funding"),
        {"move-start_seed_funding-comment": "Comité du 3 mars."},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "labelling committee decision “granted” must be recorded" in html
    assert 'role="alert"' in html
    assert "Comité du 3 mars." in html
    assert "Nothing was saved" in html
    assert Accompaniment.objects.get(pk=accompaniment.pk).stage == S.LABELLING


def test_a_move_once_the_condition_is_met(accompaniment, manager, client_for, owner):
    fulfil(accompaniment, "start_seed_funding")
    client = client_for(manager)
    response = client.post(
        url("accompaniment_move", accompaniment, name="start_seed_funding"),
        {"move-start_seed_funding-comment": "Label obtenu."},
    )
    assert response.status_code == 302
    assert response["Location"] == page(accompaniment)
    assert Accompaniment.objects.get(pk=accompaniment.pk).stage == S.SEED_FUNDING
    log = AccompanimentTransition.objects.get(
        accompaniment=accompaniment, name="start_seed_funding"
    )
    assert (log.actor, log.comment) == (manager, "Label obtenu.")
    html = client.get(page(accompaniment)).content.decode()
    assert "is now in “Seed funding”" in html
    assert "Move to Fundraising" in html


def test_exit_needs_a_reason_and_keeps_the_comment(accompaniment, manager, client_for):
    target = url("accompaniment_move", accompaniment, name="exit")
    response = client_for(manager).post(target, {"move-exit-comment": "Vu en réunion."})
    assert response.status_code == 200
    html = response.content.decode()
    assert "This field is required." in html and "Vu en réunion." in html
    assert Accompaniment.objects.get(pk=accompaniment.pk).stage == S.LABELLING
    response = client_for(manager).post(
        target, {"move-exit-reason": "La structure a fermé.", "move-exit-comment": ""}
    )
    assert response.status_code == 302
    exited = Accompaniment.objects.get(pk=accompaniment.pk)
    assert (exited.stage, exited.exit_reason) == (S.EXITED, "La structure a fermé.")
    html = client_for(manager).get(page(accompaniment)).content.decode()
    assert "has left the programme" in html and "La structure a fermé." in html
    # The progress keeps the stages reached.
    assert 'journey-step--done">\n    Labelling' in html
    assert 'journey-step--todo">\n    Seed funding' in html
    assert "Exit the programme" not in html


def test_a_move_made_impossible_meanwhile_keeps_the_text_read_only(
    accompaniment, manager, client_for
):
    change_stage(accompaniment, "pause", manager)
    response = client_for(manager).post(
        url("accompaniment_move", accompaniment, name="start_seed_funding"),
        {"move-start_seed_funding-comment": "Texte à garder."},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "cannot be moved this way now" in html
    assert "Texte à garder." in html and "readonly" in html
    assert "no longer possible" in html


def test_an_unknown_transition_is_a_404(accompaniment, manager, client_for):
    response = client_for(manager).post(url("accompaniment_move", accompaniment, name="delete"))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("outsider", 404),
        ("far_support_point", 404),
        ("viewer", 403),
        ("editor", 403),
        ("owner", 403),
        ("staff", 403),
        ("support_point", 403),
        ("manager", 302),
        ("referent", 302),
    ],
)
def test_who_may_move(
    accompaniment, people, manager, far_support_point_user, client_for, role, expected
):
    referent = factories.StaffFactory()
    Accompaniment.objects.filter(pk=accompaniment.pk).update(referent=referent)
    user = {
        "manager": manager,
        "referent": referent,
        "far_support_point": far_support_point_user,
    }.get(role) or people[role]
    response = client_for(user).post(url("accompaniment_move", accompaniment, name="pause"))
    assert response.status_code == expected
    moved = Accompaniment.objects.get(pk=accompaniment.pk).stage == S.PAUSED
    assert moved == (role in ("manager", "referent"))


def test_a_get_on_an_action_is_refused(accompaniment, manager, client_for):
    response = client_for(manager).get(url("accompaniment_move", accompaniment, name="pause"))
    assert response.status_code == 405


# --- who follows it


def test_the_mover_sets_the_referent_and_the_support_point(accompaniment, manager, client_for):
    referent = factories.StaffFactory()
    point = factories.SupportPointFactory(department=accompaniment.structure.department)
    response = client_for(manager).post(
        url("accompaniment_people", accompaniment),
        {"people-referent": referent.pk, "people-support_point": point.pk},
    )
    assert response.status_code == 302
    saved = Accompaniment.objects.get(pk=accompaniment.pk)
    assert (saved.referent, saved.support_point) == (referent, point)
    response = client_for(manager).post(
        url("accompaniment_people", accompaniment),
        {"people-referent": "", "people-support_point": ""},
    )
    saved = Accompaniment.objects.get(pk=accompaniment.pk)
    assert (saved.referent, saved.support_point) == (None, None)


def test_a_non_staff_referent_or_a_far_support_point_is_refused_in_place(
    accompaniment, manager, client_for, owner
):
    far = factories.SupportPointFactory(department=factories.department("18", "Cher"))
    response = client_for(manager).post(
        url("accompaniment_people", accompaniment),
        {"people-referent": owner.pk, "people-support_point": far.pk},
    )
    assert response.status_code == 200
    assert response.content.decode().count("Select a valid choice.") == 2
    saved = Accompaniment.objects.get(pk=accompaniment.pk)
    assert (saved.referent, saved.support_point) == (None, None)


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 302), ("outsider", 404), ("owner", 403), ("staff", 403), ("support_point", 403)],
)
def test_only_movers_change_who_follows(accompaniment, people, client_for, role, expected):
    response = client_for(people[role]).post(
        url("accompaniment_people", accompaniment), {"people-referent": people["staff"].pk}
    )
    assert response.status_code == expected
    assert Accompaniment.objects.get(pk=accompaniment.pk).referent is None


# --- milestones


def test_milestones_are_grouped_by_stage_with_their_due_date_and_overdue_flag(
    accompaniment, staff, client_for
):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    add_milestone(accompaniment, staff, "Diagnostic partagé", stage=S.SOURCING, due_on=yesterday)
    late = add_milestone(accompaniment, staff, "Dossier de labellisation", due_on=yesterday)
    add_milestone(accompaniment, staff, "Rencontre du comité", owner="staff")
    html = client_for(staff).get(page(accompaniment)).content.decode()
    html = html[html.index('id="milestones"') : html.index('id="labelling"')]
    sourcing, labelling = html.index("stage--sourcing"), html.index("stage--labelling")
    assert sourcing < html.index("Diagnostic partagé") < labelling
    assert labelling < html.index("Dossier de labellisation")
    assert html.count("Overdue") == 2
    assert "Programme staff" in html
    assert f'id="milestone-{late.pk}" class="milestone milestone--open milestone--overdue"' in html


def test_staff_add_a_milestone_by_hand(accompaniment, staff, client_for):
    response = client_for(staff).post(
        url("accompaniment_milestone_add", accompaniment),
        {
            "milestone-title": "Visite sur site",
            "milestone-stage": S.LABELLING,
            "milestone-due_on": "2030-01-15",
            "milestone-owner": "staff",
            "milestone-kind": "other",
            "milestone-description": "",
        },
    )
    assert response.status_code == 302
    milestone = Milestone.objects.get(accompaniment=accompaniment, title="Visite sur site")
    assert (milestone.due_on, milestone.owner, milestone.created_by) == (
        datetime.date(2030, 1, 15),
        "staff",
        staff,
    )


def test_a_milestone_without_title_keeps_what_was_typed(accompaniment, staff, client_for):
    response = client_for(staff).post(
        url("accompaniment_milestone_add", accompaniment),
        {
            "milestone-title": "  ",
            "milestone-stage": S.LABELLING,
            "milestone-owner": "structure",
            "milestone-kind": "other",
            "milestone-description": "Une description gardée.",
        },
    )
    assert response.status_code == 200
    assert "Une description gardée." in response.content.decode()
    assert not Milestone.objects.filter(description="Une description gardée.").exists()


@pytest.mark.parametrize(
    ("role", "expected"),
    [("outsider", 404), ("owner", 403), ("support_point", 403), ("staff", 302)],
)
def test_only_staff_add_milestones(accompaniment, people, client_for, role, expected):
    response = client_for(people[role]).post(
        url("accompaniment_milestone_add", accompaniment),
        {
            "milestone-title": "Étape",
            "milestone-stage": S.LABELLING,
            "milestone-owner": "structure",
            "milestone-kind": "other",
        },
    )
    assert response.status_code == expected
    assert Milestone.objects.filter(title="Étape").exists() == (expected == 302)


def test_staff_mark_a_milestone_done_dropped_and_open_again(accompaniment, staff, client_for):
    milestone = add_milestone(accompaniment, staff, "Diagnostic")
    target = url("accompaniment_milestone_status", accompaniment, milestone_pk=milestone.pk)
    client = client_for(staff)
    assert client.post(target, {"status": "done"}).status_code == 302
    milestone.refresh_from_db()
    assert (milestone.status, milestone.closed_by) == ("done", staff)
    client.post(target, {"status": "dropped"})
    milestone.refresh_from_db()
    assert milestone.status == "dropped"
    client.post(target, {"status": "open"})
    milestone.refresh_from_db()
    assert (milestone.status, milestone.closed_at) == ("open", None)
    client.post(target, {"status": "finished"})
    milestone.refresh_from_db()
    assert milestone.status == "open"


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 302), ("outsider", 404), ("viewer", 403), ("support_point", 403)],
)
def test_others_do_not_close_a_staff_milestone(
    accompaniment, people, staff, client_for, role, expected
):
    milestone = add_milestone(accompaniment, staff, "Comité", owner="staff")
    response = client_for(people[role]).post(
        url("accompaniment_milestone_status", accompaniment, milestone_pk=milestone.pk),
        {"status": "done"},
    )
    assert response.status_code == expected
    milestone.refresh_from_db()
    assert milestone.status == "open"


def test_a_milestone_of_another_accompaniment_is_a_404(accompaniment, staff, client_for):
    other = make_accompaniment(stage=S.SOURCING)
    milestone = add_milestone(other, staff, "Ailleurs")
    response = client_for(staff).post(
        url("accompaniment_milestone_status", accompaniment, milestone_pk=milestone.pk),
        {"status": "done"},
    )
    assert response.status_code == 404


# --- notes


def test_notes_are_shown_to_their_audience_only(
    accompaniment, staff, support_point_user, client_for
):
    add_note(accompaniment, staff, "Réservé à l'équipe.", "staff")
    add_note(accompaniment, staff, "Pour le point d'appui aussi.", "support_point")
    add_note(accompaniment, support_point_user, "Vu sur le terrain.", "everyone")
    staff_html = client_for(staff).get(page(accompaniment)).content.decode()
    point_html = client_for(support_point_user).get(page(accompaniment)).content.decode()
    assert "Réservé à l&#x27;équipe." in staff_html
    assert "Réservé à l&#x27;équipe." not in point_html
    for text in ("Pour le point d&#x27;appui aussi.", "Vu sur le terrain."):
        assert text in staff_html and text in point_html


def test_the_support_point_writes_a_note_for_its_audiences_only(
    accompaniment, support_point_user, client_for
):
    client = client_for(support_point_user)
    html = client.get(page(accompaniment)).content.decode()
    assert 'value="support_point"' in html and 'value="everyone"' in html
    assert 'name="note-visibility" value="staff"' not in html
    response = client.post(
        url("accompaniment_note", accompaniment),
        {"note-body": "Rien que pour l'équipe.", "note-visibility": "staff"},
    )
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert "Rien que pour l&#x27;équipe." in response.content.decode()
    assert not Note.objects.exists()
    response = client.post(
        url("accompaniment_note", accompaniment),
        {"note-body": "Rencontre en mairie.", "note-visibility": "support_point"},
    )
    assert response.status_code == 302
    note = Note.objects.get()
    assert (note.author, note.visibility, note.body) == (
        support_point_user,
        "support_point",
        "Rencontre en mairie.",
    )


def test_an_empty_note_is_refused_in_place(accompaniment, staff, client_for):
    response = client_for(staff).post(
        url("accompaniment_note", accompaniment), {"note-body": "   ", "note-visibility": "staff"}
    )
    assert response.status_code == 200
    assert "The note is empty." in response.content.decode() or "This field is required." in (
        response.content.decode()
    )
    assert not Note.objects.exists()


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("outsider", 404),
        ("far_support_point", 404),
        ("viewer", 403),
        ("owner", 403),
        ("staff", 302),
        ("support_point", 302),
    ],
)
def test_who_may_write_a_note(
    accompaniment, people, far_support_point_user, client_for, role, expected
):
    user = far_support_point_user if role == "far_support_point" else people[role]
    response = client_for(user).post(
        url("accompaniment_note", accompaniment),
        {"note-body": "Une note.", "note-visibility": "everyone"},
    )
    assert response.status_code == expected
    assert Note.objects.exists() == (role in ("staff", "support_point"))


# --- documents


def test_a_document_is_uploaded_and_downloaded_by_its_audience(
    accompaniment, staff, support_point_user, owner, outsider, client_for
):
    response = client_for(support_point_user).post(
        url("accompaniment_document_add", accompaniment),
        {
            "document-title": "Convention signée",
            "document-file": pdf("Convention 2026.pdf"),
            "document-visibility": "everyone",
        },
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.title, document.content_type, document.uploaded_by) == (
        "Convention signée",
        "application/pdf",
        support_point_user,
    )
    target = url("accompaniment_document", accompaniment, document_pk=document.pk)
    for reader in (staff, support_point_user, owner):
        download = client_for(reader).get(target)
        assert download.status_code == 200
        assert b"".join(download.streaming_content) == PDF
        assert download["Content-Type"] == "application/pdf"
        assert download["X-Content-Type-Options"] == "nosniff"
        assert download["Content-Disposition"].startswith("attachment;")
        assert "Convention 2026.pdf" in download["Content-Disposition"]
    assert client_for(outsider).get(target).status_code == 404
    assert client_for(None).get(target).status_code == 302


def test_a_staff_only_document_is_a_404_for_the_support_point_and_members(
    accompaniment, staff, support_point_user, owner, client_for
):
    document = add_document(accompaniment, staff, pdf(), "Note interne", "staff")
    target = url("accompaniment_document", accompaniment, document_pk=document.pk)
    assert client_for(staff).get(target).status_code == 200
    assert client_for(support_point_user).get(target).status_code == 404
    assert client_for(owner).get(target).status_code == 404
    assert (
        "Note interne"
        not in client_for(support_point_user).get(page(accompaniment)).content.decode()
    )
    shared = add_document(accompaniment, staff, pdf(), "Compte rendu", "support_point")
    shared_url = url("accompaniment_document", accompaniment, document_pk=shared.pk)
    assert client_for(support_point_user).get(shared_url).status_code == 200
    assert client_for(owner).get(shared_url).status_code == 404


def test_a_document_of_another_accompaniment_is_a_404(accompaniment, staff, client_for):
    other = make_accompaniment(stage=S.SOURCING)
    document = add_document(other, staff, pdf(), "Ailleurs", "everyone")
    target = url("accompaniment_document", accompaniment, document_pk=document.pk)
    assert client_for(staff).get(target).status_code == 404


def test_a_file_that_is_not_what_it_says_is_refused_and_the_title_kept(
    accompaniment, staff, client_for
):
    response = client_for(staff).post(
        url("accompaniment_document_add", accompaniment),
        {
            "document-title": "Budget prévisionnel",
            "document-file": SimpleUploadedFile("budget.pdf", b"#!/bin/sh\necho hi\n" * 20),
            "document-visibility": "staff",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "is not a PDF" in html and 'value="Budget prévisionnel"' in html
    assert not Document.objects.exists()


def test_the_support_point_cannot_upload_for_staff_only(
    accompaniment, support_point_user, client_for
):
    response = client_for(support_point_user).post(
        url("accompaniment_document_add", accompaniment),
        {"document-title": "X", "document-file": pdf(), "document-visibility": "staff"},
    )
    assert response.status_code == 200
    assert not Document.objects.exists()


def test_staff_or_the_uploader_remove_a_document(
    accompaniment, staff, support_point_user, client_for
):
    mine = add_document(accompaniment, support_point_user, pdf(), "Le mien", "support_point")
    theirs = add_document(accompaniment, staff, pdf(), "Le leur", "support_point")
    point = client_for(support_point_user)
    html = point.get(page(accompaniment)).content.decode()
    assert "Remove “Le mien”" in html and "Remove “Le leur”" not in html
    remove = "accompaniment_document_remove"
    assert point.post(url(remove, accompaniment, document_pk=theirs.pk)).status_code == 403
    assert point.post(url(remove, accompaniment, document_pk=mine.pk)).status_code == 302
    assert list(Document.objects.values_list("title", flat=True)) == ["Le leur"]
    assert client_for(staff).post(
        url(remove, accompaniment, document_pk=theirs.pk)
    ).status_code == (302)
    assert not Document.objects.exists()


# --- the timeline


def test_the_timeline_shows_every_kind_of_entry(accompaniment, manager, client_for):
    milestone = add_milestone(accompaniment, manager, "Dossier de labellisation")
    set_milestone_status(milestone, "done", manager)
    add_note(accompaniment, manager, "Une note pour tous.", "everyone")
    add_document(accompaniment, manager, pdf(), "Statuts", "everyone")
    obstacle = report_obstacle(accompaniment, manager, "Code rural, art. L. 311-1", "La vente")
    change_obstacle_state(obstacle, "review", manager, "Nous regardons.")
    html = client_for(manager).get(page(accompaniment)).content.decode()
    section = html[html.index('id="timeline"') :]
    assert "Stage changed from “Sourcing” to “Labelling”." in section
    assert "Milestone “Dossier de labellisation” added (Labelling)." in section
    assert "Milestone “Dossier de labellisation” done." in section
    assert "Une note pour tous." in section
    assert "Document added:" in section and "Statuts" in section
    assert "Regulatory obstacle reported: Code rural" in section
    assert "moved from “Reported” to “Under review”" in section and "Nous regardons." in section
    assert manager.display_name in section


def test_the_timeline_partial_names_the_programme_for_the_structure(accompaniment, manager, owner):
    add_note(accompaniment, manager, "Bravo pour le comité.", "everyone")
    add_note(accompaniment, manager, "Interne.", "staff")
    html = render_to_string(
        "accelerator/journey/_timeline.html", {"entries": timeline(accompaniment, owner)}
    )
    assert "Bravo pour le comité." in html and "Interne." not in html
    assert "the programme" in html
    assert manager.display_name not in html
    staff_html = render_to_string(
        "accelerator/journey/_timeline.html", {"entries": timeline(accompaniment, manager)}
    )
    assert manager.display_name in staff_html and "the programme" not in staff_html


# --- queries


@pytest.mark.parametrize("role, may_report", [("staff", True), ("support_point", False)])
def test_the_obstacles_are_listed_with_the_form_for_those_who_may_report(
    accompaniment, manager, people, client_for, role, may_report
):
    obstacle = report_obstacle(
        accompaniment, manager, "Code du travail, art. L5132-1", "L'embauche en insertion"
    )
    html = client_for(people[role]).get(page(accompaniment)).content.decode()
    assert reverse("accelerator:obstacle", kwargs={"pk": obstacle.pk}) in html
    assert "Code du travail, art. L5132-1" in html
    report = reverse("accelerator:obstacle_report", kwargs={"pk": accompaniment.pk})
    assert (report in html) is may_report


def _grow(accompaniment, manager, support_point_user, start, stop):
    """Add `stop - start` of everything the page lists, numbered from `start`."""
    n = stop - start
    for i in range(start, stop):
        add_milestone(accompaniment, manager, f"Jalon {i}", due_on=datetime.date(2020, 1, 1))
        add_note(accompaniment, manager, f"Note {i}", "support_point")
        add_note(accompaniment, support_point_user, f"Terrain {i}", "everyone")
        add_document(accompaniment, manager, pdf(f"doc-{i}.pdf"), f"Document {i}", "support_point")
        LabelDecision.objects.create(
            accompaniment=accompaniment,
            committee_date=datetime.date(2026, 1, 1),
            outcome="deferred",
        )
        grant = SeedGrant.objects.create(
            accompaniment=accompaniment, amount=Decimal("1000"), funder=f"Fondation {i}"
        )
        disburse(grant, Decimal("100"), datetime.date(2026, 2, 1), manager)
        fundraising_round = FundraisingRound.objects.create(
            accompaniment=accompaniment, target=Decimal("5000"), instruments=["equity"]
        )
        FundraisingCommitment.objects.create(
            round=fundraising_round, funder=f"Banque {i}", amount=Decimal("500")
        )
        obstacle = report_obstacle(accompaniment, manager, f"Article L.{i}", "Le recrutement")
        change_obstacle_state(obstacle, "review", manager, "Reçu, nous regardons.")
    accompaniment = Accompaniment.objects.get(pk=accompaniment.pk)
    for _ in range(n):
        accompaniment = change_stage(accompaniment, "pause", manager)
        accompaniment = change_stage(accompaniment, "resume", manager)
    return accompaniment


def test_the_page_runs_the_same_queries_whatever_it_lists(
    accompaniment, manager, support_point_user, client_for, count_queries
):
    _grow(accompaniment, manager, support_point_user, 0, 1)
    mover, point = client_for(manager), client_for(support_point_user)
    one = count_queries(mover, page(accompaniment))
    one_point = count_queries(point, page(accompaniment))
    _grow(accompaniment, manager, support_point_user, 1, 20)
    assert AccompanimentTransition.objects.filter(accompaniment=accompaniment).count() == 41
    # 20 by hand and the diagnostic that opened labelling.
    assert Milestone.objects.filter(accompaniment=accompaniment).count() == 21
    assert count_queries(mover, page(accompaniment)) == one
    assert count_queries(point, page(accompaniment)) == one_point
    html = mover.get(page(accompaniment)).content.decode()
    assert "Jalon 19" in html and "Document 19" in html and "Banque 19" in html
    assert "Article L.19" in html


@pytest.mark.parametrize("role, sees_move", [("manager", True), ("support_point", False)])
def test_a_line_of_links_reaches_each_part_of_the_page(
    accompaniment, people, manager, client_for, role, sees_move
):
    reader = manager if role == "manager" else people[role]
    html = client_for(reader).get(page(accompaniment)).content.decode()
    start = html.index('class="journey-toc"')
    toc = html[start : html.index("</nav>", start)]
    for part in ("next", "milestones", "notes", "documents", "obstacles", "timeline"):
        assert f'href="#{part}"' in toc
        assert f'id="{part}"' in html
    assert ('href="#move"' in toc) is sees_move
