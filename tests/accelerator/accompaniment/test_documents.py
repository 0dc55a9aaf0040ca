"""Documents on the accompaniment's page: uploaded, read by their audience, removed."""

from django.core.files.uploadedfile import SimpleUploadedFile

from accelerator.domain.followup import add_document
from accelerator.models import Document
from tests.accelerator.accompaniment import PDF, S, page, pdf, url
from tests.accelerator.test_journey_transitions import make_accompaniment

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
