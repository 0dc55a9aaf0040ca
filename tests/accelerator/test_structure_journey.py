"""A structure's own journey page: who reads it, what it shows, who marks milestones done, and
its query count."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accelerator.domain.journey import change_stage
from accelerator.models import (
    Accompaniment,
    Cohort,
    Milestone,
    RegulatoryObstacle,
    Stage,
    Visibility,
)
from tests import factories
from tests.accelerator.test_journey_transitions import make_accompaniment

S = Stage
READERS = ["viewer", "editor", "owner", "staff", "manager", "support_point"]


def accompany(structure, stage=S.LABELLING, **fields):
    """`structure` accompanied in a cohort, at `stage`, with the people fields given."""
    accompaniment = make_accompaniment(structure, stage)
    if fields:
        Accompaniment.objects.filter(pk=accompaniment.pk).update(**fields)
        accompaniment.refresh_from_db()
    return accompaniment


def milestone(accompaniment, title="Étape", days=None, **fields):
    due_on = timezone.localdate() + datetime.timedelta(days=days) if days is not None else None
    fields.setdefault("stage", accompaniment.stage)
    return Milestone.objects.create(
        accompaniment=accompaniment, title=title, due_on=due_on, **fields
    )


def url(structure):
    return reverse("accelerator:structure_journey", kwargs={"pk": structure.pk})


def status_url(structure, item):
    return reverse(
        "accelerator:structure_milestone_status",
        kwargs={"pk": structure.pk, "milestone_pk": item.pk},
    )


def between(page, start, end):
    """The part of `page` from `start` to the first `end` after it."""
    begin = page.index(start)
    return page[begin : page.index(end, begin)]


@pytest.fixture
def everyone(people, manager, far_support_point_user):
    return {**people, "manager": manager, "far_support_point": far_support_point_user}


# --- who reads it


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("outsider", 404),
        ("far_support_point", 404),
        ("viewer", 200),
        ("editor", 200),
        ("owner", 200),
        ("staff", 200),
        ("manager", 200),
        ("support_point", 200),
    ],
)
def test_who_reads_the_journey_page(client_for, structure, everyone, role, expected):
    accompany(structure)
    response = client_for(everyone[role]).get(url(structure))
    assert response.status_code == expected
    if expected == 200:
        assert "Cohorte 1 (2026)" in response.content.decode()


@pytest.mark.django_db
def test_anonymous_people_are_sent_to_log_in(client_for, structure):
    accompany(structure)
    response = client_for(None).get(url(structure))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_an_outsider_gets_404_for_an_existing_structure_with_or_without_a_journey(
    client_for, structure, outsider
):
    assert client_for(outsider).get(url(structure)).status_code == 404
    accompany(structure)
    assert client_for(outsider).get(url(structure)).status_code == 404
    missing = reverse("accelerator:structure_journey", kwargs={"pk": structure.pk + 1000})
    assert client_for(outsider).get(missing).status_code == 404


@pytest.mark.django_db
def test_a_structure_with_no_accompaniment_is_told_how_to_join(client_for, structure, owner):
    page = client_for(owner).get(url(structure)).content.decode()
    assert "is not accompanied by the programme yet" in page
    assert 'href="/appels/"' in page
    assert "Milestones" not in page


# --- what it shows


@pytest.mark.django_db
def test_the_page_shows_stage_progress_next_needs_and_people(client_for, structure, viewer, staff):
    point = factories.SupportPointFactory(
        department=structure.department, name="Point d'appui du Loiret", email="pa45@example.org"
    )
    referent = factories.StaffFactory(first_name="Inès", last_name="Référente")
    accompaniment = accompany(structure, S.LABELLING, referent=referent, support_point=point)
    page = client_for(viewer).get(url(structure)).content.decode()
    assert "Centre-Val de Loire" in page  # the programme
    steps = between(page, 'class="journey-steps"', "</ol>")
    assert steps.count("journey-step--done") == 1  # sourcing
    assert 'journey-step--current" aria-current="step"' in steps
    assert between(steps, "journey-step--current", "</li>").count("Labelling") == 1
    assert steps.count("journey-step--todo") == 4  # up to alumni
    since = timezone.localtime(accompaniment.stage_entered_at).strftime("%H:%M")
    assert "Current stage since" in page and since in page
    assert "Next stage: Seed funding" in page
    assert "A labelling committee decision “granted” must be recorded" in page
    assert "Inès Référente" in page
    assert "Point d&#x27;appui du Loiret" in page
    assert 'href="mailto:pa45@example.org"' in page


@pytest.mark.django_db
def test_milestones_are_grouped_by_stage_with_due_dates_owner_and_overdue_flag(
    client_for, structure, owner
):
    accompaniment = accompany(structure, S.LABELLING)
    late = milestone(accompaniment, "Rédiger le dossier de labellisation", days=-3)
    milestone(accompaniment, "Préparer le comité", days=5, owner=Milestone.Owner.STAFF)
    page = client_for(owner).get(url(structure)).content.decode()
    milestones = between(page, f'id="milestones-{accompaniment.pk}"', "</section>")
    # The sourcing diagnostic first, then labelling.
    assert milestones.index("<h4>Sourcing</h4>") < milestones.index("<h4>Labelling</h4>")
    assert milestones.index("Diagnostic") < milestones.index("<h4>Labelling</h4>")
    late_row = between(milestones, f'data-milestone="{late.pk}"', "</tr>")
    assert "Overdue" in late_row
    assert "The structure" in late_row
    assert late.due_on.strftime("%Y") in late_row
    staff_row = between(milestones, "Préparer le comité", "</tr>")
    assert "Overdue" not in staff_row
    assert "Programme staff" in staff_row
    assert "1 milestone is overdue" in page


@pytest.mark.django_db
def test_due_soon_lists_open_milestones_due_within_thirty_days(client_for, structure, owner):
    accompaniment = accompany(structure, S.LABELLING)
    milestone(accompaniment, "Bientôt", days=10)
    milestone(accompaniment, "Aujourd'hui", days=0)
    milestone(accompaniment, "Le trentième jour", days=30)
    milestone(accompaniment, "Plus tard", days=31)
    milestone(accompaniment, "En retard", days=-1)
    milestone(accompaniment, "Déjà fait", days=3, status=Milestone.Status.DONE)
    milestone(accompaniment, "Abandonné", days=3, status=Milestone.Status.DROPPED)
    page = client_for(owner).get(url(structure)).content.decode()
    due = between(page, 'class="journey-due__soon"', "</ul>")
    assert "Bientôt" in due and "Aujourd&#x27;hui" in due and "Le trentième jour" in due
    for absent in ("Plus tard", "En retard", "Déjà fait", "Abandonné"):
        assert absent not in due
    # Soonest first.
    assert due.index("Aujourd&#x27;hui") < due.index("Bientôt") < due.index("Le trentième jour")
    # What is late heads the block, apart, with the day it was due.
    late = between(page, 'class="journey-due__late"', "</ul>")
    assert "En retard" in late and "was due on" in late
    assert "Bientôt" not in late
    assert page.index('class="journey-due__late"') < page.index('class="journey-due__soon"')


@pytest.mark.django_db
def test_nothing_due_says_so(client_for, structure, owner):
    accompany(structure, S.LABELLING)
    page = client_for(owner).get(url(structure)).content.decode()
    assert "Nothing is due in the next 30 days." in page


@pytest.mark.django_db
def test_a_paused_journey_shows_the_stage_it_left(client_for, structure, owner, manager):
    accompaniment = accompany(structure, S.SEED_FUNDING)
    change_stage(accompaniment, "pause", manager, comment="Congé")
    page = client_for(owner).get(url(structure)).content.decode()
    assert "The journey is paused at the stage “Seed funding”" in page
    steps = between(page, 'class="journey-steps"', "</ol>")
    assert "paused here" in between(steps, "journey-step--paused", "</li>")
    assert "Seed funding" in between(steps, "journey-step--paused", "</li>")
    assert "Next stage:" not in page


@pytest.mark.django_db
def test_an_exit_shows_the_reason_and_where_it_stopped(client_for, structure, owner, manager):
    accompaniment = accompany(structure, S.LABELLING)
    change_stage(accompaniment, "exit", manager, reason="La structure a fusionné.")
    page = client_for(owner).get(url(structure)).content.decode()
    assert "left the programme on" in page and "at the stage “Labelling”" in page
    assert "La structure a fusionné." in page
    assert "left here" in page
    assert "Next stage:" not in page


@pytest.mark.django_db
def test_newest_cohort_first(client_for, structure, owner):
    old = accompany(structure, S.LABELLING)
    Cohort.objects.filter(pk=old.cohort_id).update(name="Première promotion", year=2024)
    new = accompany(structure, S.SOURCING)
    Cohort.objects.filter(pk=new.cohort_id).update(name="Promotion actuelle", year=2026)
    page = client_for(owner).get(url(structure)).content.decode()
    assert page.index("Promotion actuelle (2026)") < page.index("Première promotion (2024)")


@pytest.mark.django_db
def test_notes_and_documents_follow_their_audience(client_for, structure, viewer, staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from accelerator.domain.followup import add_document, add_note

    accompaniment = accompany(structure)
    point = factories.UserFactory()
    factories.SupportPointFactory(department=structure.department).members.add(point)
    add_note(accompaniment, staff, "Pour tout le monde", Visibility.EVERYONE)
    add_note(accompaniment, staff, "Réservé au programme", Visibility.STAFF)
    add_note(accompaniment, staff, "Avec le point d'appui", Visibility.SUPPORT_POINT)
    document = add_document(
        accompaniment,
        staff,
        SimpleUploadedFile("convention.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
        title="Convention signée",
        visibility=Visibility.EVERYONE,
    )
    member_page = client_for(viewer).get(url(structure)).content.decode()
    notes = between(member_page, "Notes and documents", "</section>")
    assert "Pour tout le monde" in notes
    assert "Réservé au programme" not in member_page
    assert "Avec le point d" not in member_page
    assert "Convention signée" in notes
    # The structure reads "the programme team", not the staff member's name.
    assert staff.display_name not in notes and "The programme team" in notes
    document_url = reverse(
        "accelerator:accompaniment_document", args=[accompaniment.pk, document.pk]
    )
    assert f'href="{document_url}"' in notes

    point_page = client_for(point).get(url(structure)).content.decode()
    assert "Avec le point d" in point_page
    assert "Réservé au programme" not in point_page
    assert "Réservé au programme" in client_for(staff).get(url(structure)).content.decode()


@pytest.mark.django_db
def test_the_timeline_shows_stage_changes(client_for, structure, owner):
    accompany(structure, S.LABELLING)
    page = client_for(owner).get(url(structure)).content.decode()
    timeline = between(page, "journey-history", "</section>")
    assert "Stage changed from “Sourcing” to “Labelling”" in timeline


# --- marking milestones


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("outsider", 404),
        ("far_support_point", 404),
        ("viewer", 403),
        ("support_point", 403),
        ("editor", 302),
        ("owner", 302),
        ("staff", 302),
        ("manager", 302),
    ],
)
def test_who_marks_a_structure_milestone_done(client_for, structure, everyone, role, expected):
    accompaniment = accompany(structure)
    item = milestone(accompaniment, "Plan de financement", days=10)
    response = client_for(everyone[role]).post(status_url(structure, item), {"status": "done"})
    assert response.status_code == expected
    item.refresh_from_db()
    if expected == 302:
        assert item.status == Milestone.Status.DONE
        assert item.closed_by == everyone[role]
        assert response["Location"] == f"{url(structure)}#milestones-{accompaniment.pk}"
    else:
        assert item.status == Milestone.Status.OPEN


@pytest.mark.django_db
def test_anonymous_marking_is_sent_to_log_in(client_for, structure):
    item = milestone(accompany(structure), "Plan", days=10)
    response = client_for(None).post(status_url(structure, item), {"status": "done"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    item.refresh_from_db()
    assert item.status == Milestone.Status.OPEN


@pytest.mark.django_db
def test_editors_cannot_close_a_staff_milestone_and_see_no_button(client_for, structure, editor):
    accompaniment = accompany(structure)
    theirs = milestone(accompaniment, "Réunir le comité", days=5, owner=Milestone.Owner.STAFF)
    ours = milestone(accompaniment, "Envoyer les statuts", days=5)
    page = client_for(editor).get(url(structure)).content.decode()
    assert status_url(structure, ours) in page
    assert status_url(structure, theirs) not in page
    response = client_for(editor).post(status_url(structure, theirs), {"status": "done"})
    assert response.status_code == 403
    theirs.refresh_from_db()
    assert theirs.status == Milestone.Status.OPEN


@pytest.mark.django_db
def test_viewers_and_the_support_point_see_milestones_without_buttons(
    client_for, structure, viewer, support_point_user
):
    item = milestone(accompany(structure), "Envoyer les statuts", days=5)
    for user in (viewer, support_point_user):
        page = client_for(user).get(url(structure)).content.decode()
        assert "Envoyer les statuts" in page
        assert status_url(structure, item) not in page
        assert "Mark as done" not in page


@pytest.mark.django_db
def test_a_done_milestone_can_be_opened_again(client_for, structure, owner):
    item = milestone(accompany(structure), "Envoyer les statuts", days=5)
    client = client_for(owner)
    client.post(status_url(structure, item), {"status": "done"})
    page = client.get(url(structure)).content.decode()
    assert "“Envoyer les statuts” is marked as done." in page
    assert "Open again" in between(page, f'data-milestone="{item.pk}"', "</tr>")
    client.post(status_url(structure, item), {"status": "open"})
    item.refresh_from_db()
    assert (item.status, item.closed_at, item.closed_by) == (Milestone.Status.OPEN, None, None)


@pytest.mark.django_db
def test_a_milestone_of_another_structure_is_not_found_here(client_for, structure, owner):
    accompany(structure)
    elsewhere = milestone(accompany(factories.StructureFactory()), "Ailleurs", days=5)
    response = client_for(owner).post(status_url(structure, elsewhere), {"status": "done"})
    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.status == Milestone.Status.OPEN


@pytest.mark.django_db
def test_marking_needs_a_post(client_for, structure, owner):
    item = milestone(accompany(structure), "Plan", days=10)
    assert client_for(owner).get(status_url(structure, item)).status_code == 405


@pytest.mark.django_db
def test_an_unknown_status_is_refused_with_a_message(client_for, structure, owner):
    item = milestone(accompany(structure), "Plan", days=10)
    response = client_for(owner).post(
        status_url(structure, item), {"status": "dropped"}, follow=True
    )
    assert "Unknown milestone status." in response.content.decode()
    item.refresh_from_db()
    assert item.status == Milestone.Status.OPEN


# --- obstacles on the page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "sees_form"),
    [
        ("viewer", False),
        ("support_point", False),
        ("editor", True),
        ("owner", True),
        ("staff", True),
    ],
)
def test_the_obstacle_form_is_offered_to_those_who_may_report(
    client_for, structure, everyone, role, sees_form
):
    accompaniment = accompany(structure)
    RegulatoryObstacle.objects.create(
        accompaniment=accompaniment, regulation="Code rural, art. L. 411-1", blocks="Le bail"
    )
    page = client_for(everyone[role]).get(url(structure)).content.decode()
    assert "Code rural, art. L. 411-1" in page
    action = reverse("accelerator:obstacle_report", kwargs={"pk": accompaniment.pk})
    assert (f'action="{action}"' in page) is sees_form


# --- queries


def _structure_with(milestones):
    """A structure in labelling with an owner, notes, a document, an obstacle and `milestones`
    milestones of every kind (overdue, due soon, later, done, staff-owned)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from accelerator.domain.followup import add_document, add_note
    from accelerator.domain.obstacles import change_obstacle_state, report_obstacle

    structure = factories.StructureFactory()
    owner = factories.MembershipFactory(structure=structure, role="owner").user
    staff = factories.StaffFactory()
    accompaniment = accompany(structure, S.LABELLING, referent=staff)
    for index in range(milestones - 1):  # the diagnostic is the first
        milestone(
            accompaniment,
            f"Étape {index}",
            days=[-5, 3, 12, 60, None][index % 5],
            owner=[Milestone.Owner.STRUCTURE, Milestone.Owner.STAFF][index % 2],
            status=[Milestone.Status.OPEN, Milestone.Status.DONE][index % 3 == 2],
            created_by=staff,
            stage=[S.SOURCING, S.LABELLING][index % 2],
        )
    add_note(accompaniment, staff, "Note", Visibility.EVERYONE)
    add_document(
        accompaniment,
        staff,
        SimpleUploadedFile("c.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
        visibility=Visibility.EVERYONE,
    )
    obstacle = report_obstacle(accompaniment, owner, "Décret", "Tout")
    change_obstacle_state(obstacle, "review", staff, "Vu")
    assert Milestone.objects.filter(accompaniment=accompaniment).count() == milestones
    return structure, owner


@pytest.mark.django_db
@pytest.mark.parametrize("reader", ["owner", "staff", "support_point"])
def test_the_query_count_does_not_grow_with_milestones(client_for, count_queries, reader):
    def client_of(structure, owner):
        if reader == "owner":
            return client_for(owner)
        if reader == "staff":
            return client_for(factories.StaffFactory())
        point = factories.UserFactory()
        factories.SupportPointFactory(department=structure.department).members.add(point)
        return client_for(point)

    small = _structure_with(1)
    expected = count_queries(client_of(*small), url(small[0]))
    large = _structure_with(20)
    client = client_of(*large)
    assert count_queries(client, url(large[0])) == expected
    page = client.get(url(large[0])).content.decode()
    assert page.count("data-milestone=") == 20
    print(f"structure journey ({reader}): {expected} queries with 1 and with 20 milestones")
