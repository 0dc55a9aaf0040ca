"""An accompaniment's page: who sees it and what it shows, the timeline, the obstacles, the
line of links, and a constant number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accelerator.domain.followup import add_document, add_milestone, add_note, set_milestone_status
from accelerator.domain.journey import change_stage, disburse
from accelerator.domain.obstacles import change_obstacle_state, report_obstacle
from accelerator.domain.timeline import timeline
from accelerator.models import (
    Accompaniment,
    AccompanimentTransition,
    FundraisingCommitment,
    FundraisingRound,
    LabelDecision,
    Milestone,
    SeedGrant,
)
from tests import factories
from tests.accelerator.accompaniment import page, pdf, url

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
