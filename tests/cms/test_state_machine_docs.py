"""The diagrams in docs/ are drawn from the code and never stale."""

from cms.domain.diagrams import document, mermaid
from cms.management.commands.draw_state_machines import DOCUMENT


def test_the_documented_diagrams_match_the_code():
    assert DOCUMENT.read_text(encoding="utf-8") == document(), (
        "Run `python manage.py draw_state_machines` and commit docs/state-machines.md"
    )


def test_the_dossier_diagram_shows_every_transition():
    from applications.models import Dossier

    diagram = mermaid(Dossier, "state")
    assert "[*] --> draft" in diagram
    assert "draft --> submitted: submit" in diagram
    assert "info_requested --> submitted: submit" in diagram
    assert "waitlisted --> selected: select" in diagram


def test_the_journey_diagram_shows_pause_and_resume_to_the_stage_left():
    from accelerator.models import Accompaniment

    diagram = mermaid(Accompaniment, "stage")
    assert "sourcing --> labelling: start_labelling" in diagram
    assert "impact_measurement --> alumni: graduate" in diagram
    assert "paused --> fundraising: resume" in diagram
    assert "labelling --> exited: exit" in diagram


def test_the_obstacle_diagram_shows_escalation_and_both_ends():
    from accelerator.models import RegulatoryObstacle

    diagram = mermaid(RegulatoryObstacle, "state")
    assert "[*] --> reported" in diagram
    assert "reported --> under_review: review" in diagram
    assert "under_review --> escalated: escalate" in diagram
    assert "escalated --> resolved: resolve" in diagram
    assert "reported --> closed: close" in diagram


def test_the_impact_report_diagram_shows_the_send_back_loop():
    from accelerator.models import ImpactReport

    diagram = mermaid(ImpactReport, "state")
    assert "[*] --> due" in diagram
    assert "submitted --> changes_requested: request_changes" in diagram
    assert "changes_requested --> submitted: submit" in diagram
    assert "submitted --> validated: validate" in diagram


def test_every_machine_of_the_runner_is_documented():
    from accelerator.domain.transitions import MACHINES

    page = document()
    for label, field in MACHINES:
        assert f"`{label.replace('.', '.models.', 1)}.{field}`" in page, label
