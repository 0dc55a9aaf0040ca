"""Staff's side of a report's page: validating or sending back (who may, the comment required and
kept on refusal, one e-mail per recipient even when the button is pressed twice) and comments
(who writes them, who reads them)."""

import pytest
from django.urls import reverse

from accelerator.domain.impact_reports import change_report_state
from accelerator.models import ImpactReport, ReportComment
from tests.accelerator.impact.test_report_page import TYPED, world
from tests.accelerator.impact.world import first_report, submitted
from workers.models import OutboxMessage

pytestmark = pytest.mark.django_db


def move_url(report, name):
    return reverse("accelerator:impact_report_move", kwargs={"pk": report.pk, "name": name})


def page_url(report):
    return reverse("accelerator:impact_report", kwargs={"pk": report.pk})


def comment_url(report):
    return reverse("accelerator:impact_report_comment", kwargs={"pk": report.pk})


def test_who_may_validate_or_send_back(client_for):
    accompaniment = world()
    report = submitted(first_report(accompaniment), accompaniment, TYPED)
    people = accompaniment.people
    for role, status in (
        ("viewer", 403),
        ("editor", 403),
        ("owner", 403),
        ("staff", 403),
        ("support_point", 403),
        ("outsider", 404),
        ("juror", 404),
        ("far_support_point", 404),
    ):
        for name in ("validate", "request_changes"):
            response = client_for(people[role]).post(
                move_url(report, name), {"review-comment": "x"}
            )
            assert response.status_code == status, (role, name)
    anonymous = client_for(None).post(move_url(report, "validate"))
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))
    assert client_for(people["manager"]).get(move_url(report, "validate")).status_code == 405
    assert client_for(people["manager"]).post(move_url(report, "submit")).status_code == 404
    assert ImpactReport.objects.get(pk=report.pk).state == "submitted"
    # The référent, the programme's managers and a superuser may: each is refused here only
    # because sending back needs a comment.
    for role in ("referent", "manager", "superuser"):
        response = client_for(people[role]).post(move_url(report, "request_changes"))
        assert response.status_code == 200, role
        assert "Please say what the structure should change" in response.content.decode()
    assert ImpactReport.objects.get(pk=report.pk).state == "submitted"
    response = client_for(people["manager"]).post(move_url(report, "validate"))
    assert response.status_code == 302
    assert ImpactReport.objects.get(pk=report.pk).state == "validated"


def test_send_back_without_a_comment_is_refused_in_place_then_with_one_it_is_mailed_once(
    client_for,
):
    accompaniment = world()
    report = submitted(first_report(accompaniment), accompaniment, TYPED)
    client = client_for(accompaniment.referent)
    response = client.post(move_url(report, "request_changes"), {"review-comment": "  "})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error:" in html
    assert 'href="#id_review-comment"' in html
    assert 'id="id_review-comment_error"' in html
    OutboxMessage.objects.all().delete()
    comment = "Les ETP ne correspondent pas à la DSN."
    response = client.post(move_url(report, "request_changes"), {"review-comment": comment})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == "changes_requested"
    assert report.transitions.get(name="request_changes").comment == comment
    recipients = sorted(OutboxMessage.objects.values_list("to", flat=True))
    assert recipients == sorted([accompaniment.owner.email, accompaniment.editor.email])
    # Pressed twice: the second press is refused with the comment kept, and sends nothing.
    response = client.post(move_url(report, "request_changes"), {"review-comment": comment})
    html = response.content.decode()
    assert response.status_code == 200
    assert "it cannot be moved this way now" in html
    assert comment in html
    assert sorted(OutboxMessage.objects.values_list("to", flat=True)) == recipients
    # The structure reads the comment on its page.
    html = client_for(accompaniment.editor).get(page_url(report)).content.decode()
    assert comment in html and "The programme team asks for changes" in html


def test_a_report_validated_meanwhile_keeps_the_comment_typed(client_for):
    accompaniment = world()
    report = submitted(first_report(accompaniment), accompaniment, TYPED)
    change_report_state(report, "validate", accompaniment.people["manager"])
    response = client_for(accompaniment.referent).post(
        move_url(report, "request_changes"), {"review-comment": "Revoir le chiffre d'affaires."}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "This report is “Validated”: it cannot be moved this way now." in html
    assert "Revoir le chiffre d&#x27;affaires." in html
    assert ImpactReport.objects.get(pk=report.pk).state == "validated"


def test_staff_and_the_support_point_comment_members_read_the_comments(client_for):
    accompaniment = world()
    report = first_report(accompaniment)
    people = accompaniment.people
    for role, status in (
        ("viewer", 403),
        ("editor", 403),
        ("owner", 403),
        ("outsider", 404),
        ("far_support_point", 404),
        ("juror", 404),
    ):
        response = client_for(people[role]).post(comment_url(report), {"comment-body": "Salut"})
        assert response.status_code == status, role
    assert not ReportComment.objects.exists()
    empty = client_for(people["staff"]).post(comment_url(report), {"comment-body": "  "})
    assert empty.status_code == 200
    assert "<title>Error:" in empty.content.decode()
    for role, body in (("staff", "Pensez aux feuilles d'émargement."), ("support_point", "Vu.")):
        response = client_for(people[role]).post(comment_url(report), {"comment-body": body})
        assert response.status_code == 302, role
    assert list(ReportComment.objects.values_list("body", "author")) == [
        ("Pensez aux feuilles d'émargement.", people["staff"].pk),
        ("Vu.", people["support_point"].pk),
    ]
    html = client_for(people["viewer"]).get(page_url(report)).content.decode()
    assert "Pensez aux feuilles d&#x27;émargement." in html and "Vu." in html
    assert 'name="comment-body"' not in html
