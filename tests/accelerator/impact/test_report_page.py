"""An impact report's page: who sees it and what (the form, the figures read-only, the review,
comments), French numbers saved and shown, a refusal in place with everything typed kept, the
machine's reasons not to submit, a validated report that nothing changes, evidence files, and a
constant number of queries."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accelerator.domain.impact_records import add_comment
from accelerator.domain.impact_reports import change_report_state
from accelerator.models import ImpactReport, Indicator, ReportEvidence, ReportValue
from tests import factories
from tests.accelerator.impact.world import (
    agreed_plan,
    first_report,
    in_impact_measurement,
    indicator,
    submitted,
    validated,
)
from workers.models import OutboxMessage

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n" + b"0" * 200
LINES = {
    "jobs-fte": ("2", "6"),
    "revenue": ("10 000 €", "50 000 €"),
    "own-revenue-share": ("20 %", "40 %"),
    "esus": ("non", "oui"),
}
TYPED = {"jobs-fte": "12,5", "revenue": "1 250,50 €", "own-revenue-share": "45 %", "esus": "yes"}


def world():
    """A structure in impact measurement whose agreed plan holds a decimal, an amount, a
    percentage and a yes-or-no indicator; the people around it by role."""
    Indicator.objects.get_or_create(
        code="esus",
        defaults={
            "name": "Agrément ESUS",
            "definition": "La structure détient l'agrément ESUS.",
            "value_type": "yes_no",
            "aggregation": "none",
            "category": "governance",
        },
    )
    accompaniment = in_impact_measurement()
    agreed_plan(accompaniment, LINES)
    structure = accompaniment.structure
    support_point = factories.UserFactory()
    factories.SupportPointFactory(department=structure.department).members.add(support_point)
    far = factories.UserFactory()
    factories.SupportPointFactory(department=factories.department("18", "Cher")).members.add(far)
    accompaniment.people = {
        "anonymous": None,
        "owner": accompaniment.owner,
        "editor": accompaniment.editor,
        "viewer": factories.MembershipFactory(structure=structure, role="viewer").user,
        "outsider": factories.MembershipFactory().user,
        "juror": factories.UserFactory(),
        "support_point": support_point,
        "far_support_point": far,
        "staff": factories.StaffFactory(),
        "referent": accompaniment.referent,
        "manager": factories.ManagerFactory(),
        "superuser": factories.StaffFactory(is_superuser=True),
    }
    return accompaniment


def url(report, view="accelerator:impact_report", **kwargs):
    return reverse(view, kwargs={"pk": report.pk, **kwargs})


def post_data(action, typed, narrative="", not_measured=()):
    data = {"action": action, "narrative": narrative}
    for code, value in typed.items():
        data[f"value-{indicator(code).pk}"] = value
    for code, reason in dict(not_measured).items():
        data[f"not_measured-{indicator(code).pk}"] = "on"
        data[f"reason-{indicator(code).pk}"] = reason
    return data


def test_the_page_per_role(client_for):
    accompaniment = world()
    report = submitted(first_report(accompaniment), accompaniment, TYPED)
    expected = {
        # role: (status, sees the review, may comment)
        "viewer": (200, False, False),
        "editor": (200, False, False),
        "support_point": (200, False, True),
        "staff": (200, False, True),
        "referent": (200, True, True),
        "manager": (200, True, True),
        "superuser": (200, True, True),
        "outsider": (404, False, False),
        "juror": (404, False, False),
        "far_support_point": (404, False, False),
    }
    for role, (status, reviews, comments) in expected.items():
        response = client_for(accompaniment.people[role]).get(url(report))
        assert response.status_code == status, role
        if status != 200:
            continue
        html = response.content.decode()
        assert "1,250.50\u00a0€" in html, role  # the figures, read-only once submitted
        assert 'name="action"' not in html, role
        assert (url(report, "accelerator:impact_report_move", name="validate") in html) == reviews
        assert ('name="comment-body"' in html) == comments, role
    anonymous = client_for(None).get(url(report))
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))


def test_editors_see_the_form_of_an_editable_report_and_viewers_read_it(client_for):
    accompaniment = world()
    report = first_report(accompaniment)
    for role, has_form in (("owner", True), ("editor", True), ("viewer", False), ("staff", False)):
        html = client_for(accompaniment.people[role]).get(url(report)).content.decode()
        assert ('name="action" value="submit"' in html) == has_form, role
        assert "Due" in html and report.due_on.strftime("%Y") in html


def test_french_values_are_saved_then_submitted_and_mailed_to_the_referent(client_for):
    accompaniment = world()
    report = first_report(accompaniment)
    client = client_for(accompaniment.editor)
    response = client.post(url(report), post_data("save", TYPED, "Un semestre riche."))
    assert response.status_code == 302
    values = {v.indicator.code: v.value for v in ReportValue.objects.filter(report=report)}
    assert values == {
        "jobs-fte": Decimal("12.5"),
        "revenue": Decimal("1250.50"),
        "own-revenue-share": Decimal("45"),
        "esus": Decimal(1),
    }
    report.refresh_from_db()
    assert (report.state, report.narrative) == ("draft", "Un semestre riche.")
    # The form gives the saved values back, the yes ticked.
    html = client.get(url(report)).content.decode()
    assert re.search(rf'name="value-{indicator("esus").pk}" value="yes"[^>]*checked', html)
    assert re.search(r'value="1250\.50?"', html)
    OutboxMessage.objects.all().delete()
    response = client.post(url(report), post_data("submit", TYPED, "Un semestre riche."))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == "submitted"
    assert list(OutboxMessage.objects.values_list("to", flat=True)) == [
        accompaniment.referent.email
    ]


def test_a_value_outside_its_unit_is_refused_in_place_with_everything_typed_kept(client_for):
    accompaniment = world()
    report = first_report(accompaniment)
    typed = {**TYPED, "revenue": "12,5 t"}
    response = client_for(accompaniment.editor).post(
        url(report), post_data("save", typed, "Mon récit")
    )
    assert response.status_code == 200
    html = response.content.decode()
    revenue = indicator("revenue").pk
    assert "<title>Error:" in html
    assert 'id="error-summary"' in html
    assert f'href="#id_value-{revenue}"' in html
    assert "Enter an amount in euros, for example 12 500,50 €." in html
    assert 'value="12,5 t"' in html and 'value="12,5"' in html and 'value="45 %"' in html
    assert "Mon récit" in html
    assert f'id="id_value-{revenue}_error"' in html
    # Nothing was saved: the report is still due, with no value.
    assert ImpactReport.objects.get(pk=report.pk).state == "due"
    assert not ReportValue.objects.filter(report=report).exists()


def test_submit_refused_shows_the_reasons_keeps_the_typed_values_and_the_draft(client_for):
    accompaniment = world()
    report = first_report(accompaniment)
    typed = {**TYPED, "own-revenue-share": ""}
    response = client_for(accompaniment.editor).post(
        url(report),
        post_data("submit", typed, "Récit", not_measured={"esus": ""}),
    )
    assert response.status_code == 200
    html = response.content.decode()
    share, esus = str(indicator("own-revenue-share")), str(indicator("esus"))
    assert "<title>Error:" in html
    assert "has no value: enter it, or mark it" in html and share in html
    assert f"Say why “{esus}” was not measured this period." in html
    assert "Your draft is saved, but it is not submitted yet" in html
    assert 'value="12,5"' in html and 'value="1 250,50 €"' in html
    report.refresh_from_db()
    assert report.state == "draft"
    assert ReportValue.objects.get(report=report, indicator=indicator("jobs-fte")).value == Decimal(
        "12.5"
    )


def test_a_late_report_says_so_and_shows_the_send_back_comment(client_for):
    accompaniment = world()
    report = first_report(accompaniment)
    past = timezone.localdate() - datetime.timedelta(days=3)
    ImpactReport.objects.filter(pk=report.pk).update(due_on=past)
    report.refresh_from_db()
    html = client_for(accompaniment.editor).get(url(report)).content.decode()
    assert "Late: the programme team is waiting for this report." in html
    report = submitted(report, accompaniment, TYPED)
    change_report_state(report, "request_changes", accompaniment.referent, "Joignez la liasse.")
    html = client_for(accompaniment.editor).get(url(report)).content.decode()
    assert "The programme team asks for changes" in html
    assert "Joignez la liasse." in html
    assert 'name="action" value="submit"' in html  # editable again, still late
    assert "Late: the programme team is waiting for this report." in html


def test_a_validated_report_refuses_a_save_with_a_message_and_changes_nothing(client_for):
    accompaniment = world()
    report = validated(first_report(accompaniment), accompaniment, TYPED)
    client = client_for(accompaniment.editor)
    html = client.get(url(report)).content.decode()
    assert 'name="action"' not in html
    response = client.post(url(report), post_data("save", {**TYPED, "jobs-fte": "99"}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "This report is “Validated”: it cannot be changed now." in html
    assert '<fieldset class="report-fields field--choices" disabled>' in html
    assert 'value="99"' in html  # what was typed, read-only
    assert ReportValue.objects.get(report=report, indicator=indicator("jobs-fte")).value == Decimal(
        "12.5"
    )


def test_who_may_post_the_form(client_for):
    accompaniment = world()
    report = first_report(accompaniment)
    for role, status in (
        ("viewer", 403),
        ("staff", 403),
        ("support_point", 403),
        ("referent", 403),
        ("outsider", 404),
    ):
        response = client_for(accompaniment.people[role]).post(
            url(report), post_data("save", TYPED)
        )
        assert response.status_code == status, role
    # An editor sending neither button: refused, nothing saved.
    response = client_for(accompaniment.editor).post(url(report), {"narrative": "x"})
    assert response.status_code == 400
    assert ImpactReport.objects.get(pk=report.pk).state == "due"


def test_evidence_is_added_served_privately_and_removed_while_the_report_may_change(client_for):
    accompaniment = world()
    report = first_report(accompaniment)
    people = accompaniment.people
    add = url(report, "accelerator:impact_report_evidence_add")

    def upload(name="liasse.pdf", content=PDF):
        return {"evidence-file": SimpleUploadedFile(name, content, "application/pdf")}

    assert client_for(people["viewer"]).post(add, upload()).status_code == 403
    assert client_for(people["staff"]).post(add, upload()).status_code == 403
    assert client_for(people["outsider"]).post(add, upload()).status_code == 404
    refused = client_for(people["editor"]).post(add, upload("notes.pdf", b"plain text"))
    assert refused.status_code == 200
    assert "is not a PDF, an image" in refused.content.decode()
    assert client_for(people["editor"]).post(add, upload()).status_code == 302
    evidence = ReportEvidence.objects.get(report=report)
    assert (evidence.original_name, evidence.uploaded_by) == ("liasse.pdf", people["editor"])
    download = url(report, "accelerator:impact_report_evidence", evidence_pk=evidence.pk)
    for role, status in (("viewer", 200), ("support_point", 200), ("staff", 200)):
        response = client_for(people[role]).get(download)
        assert response.status_code == status, role
        assert b"".join(response.streaming_content) == PDF
        assert response["X-Content-Type-Options"] == "nosniff"
    for role in ("outsider", "far_support_point", "juror"):
        assert client_for(people[role]).get(download).status_code == 404, role
    remove = url(report, "accelerator:impact_report_evidence_remove", evidence_pk=evidence.pk)
    # Not the uploader nor staff: refused.
    assert client_for(people["owner"]).post(remove).status_code == 403
    assert client_for(people["support_point"]).post(remove).status_code == 403
    # Once submitted, nothing is added or removed.
    report = submitted(report, accompaniment, TYPED)
    response = client_for(people["editor"]).post(remove, follow=True)
    assert "its evidence cannot change now" in response.content.decode()
    assert ReportEvidence.objects.filter(pk=evidence.pk).exists()
    response = client_for(people["editor"]).post(add, upload("second.pdf"))
    assert "its evidence cannot change now" in response.content.decode()
    assert ReportEvidence.objects.filter(report=report).count() == 1
    change_report_state(report, "request_changes", people["referent"], "Une pièce manque.")
    assert client_for(people["editor"]).post(remove).status_code == 302
    assert not ReportEvidence.objects.filter(pk=evidence.pk).exists()


def test_the_page_runs_the_same_queries_with_one_or_many_comments_and_files(
    client_for, count_queries
):
    accompaniment = world()
    report = first_report(accompaniment)
    people = accompaniment.people

    def grow(count):
        for n in range(count):
            add_comment(report, people["staff"], f"Remarque {n}")
            evidence = ReportEvidence(
                report=report,
                original_name=f"piece-{n}.pdf",
                content_type="application/pdf",
                size=len(PDF),
                uploaded_by=people["editor"],
            )
            evidence.file.save(f"piece-{n}.pdf", ContentFile(PDF))

    clients = {role: client_for(people[role]) for role in ("editor", "support_point", "referent")}
    grow(1)
    with_one = {role: count_queries(client, url(report)) for role, client in clients.items()}
    grow(6)
    for role, client in clients.items():
        assert count_queries(client, url(report)) == with_one[role], role
