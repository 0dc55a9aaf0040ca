import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from accelerator.domain.files import MAX_ZIP_ENTRIES, rename_notice
from applications.domain.attachments import attach_file, remove_attachment, storage_name
from applications.domain.dossiers import change_state
from applications.models import Attachment
from tests import factories
from tests.applications.full_form import COMPLETE_ANSWERS, FULL_FORM, form_post

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n" + b"0" * 200
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 200
EXE = b"MZ" + b"\x00" * 200


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def file_dossier(structure, owner):
    call = factories.make_call(form=FULL_FORM)
    return factories.make_dossier(call=call, structure=structure, answers=dict(COMPLETE_ANSWERS))


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("budget.pdf", PDF, "application/pdf"),
        ("photo.png", PNG, "image/png"),
        ("photo.JPEG", JPEG, "image/jpeg"),
        (
            "statuts.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_accepted_files_are_stored_with_the_type_read_from_their_content(
    file_dossier, owner, name, content, content_type
):
    attachment = attach_file(file_dossier, "q-files", upload(name, content, "text/plain"), owner)
    assert attachment.content_type == content_type
    assert attachment.original_name == name
    assert attachment.size == len(content)
    assert attachment.file.read() == content


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("budget.pdf", EXE, "is not a PDF, an image"),
        ("notes.txt", b"just some text", "is not a PDF, an image"),
        ("budget.pdf", PNG, "ends in .pdf but its content is a PNG file"),
        ("image.png", PDF, "ends in .png but its content is a PDF file"),
        ("vide.pdf", b"", "is empty"),
    ],
)
def test_files_are_refused_by_content_not_by_name(file_dossier, owner, name, content, message):
    with pytest.raises(ValidationError) as refused:
        attach_file(file_dossier, "q-files", upload(name, content, "application/pdf"), owner)
    assert message in refused.value.messages[0]
    assert not Attachment.objects.exists()


def test_the_size_limit_is_configurable_and_named(file_dossier, owner, settings):
    settings.ESSOR_MAX_UPLOAD_MB = 1
    big = upload("gros.pdf", PDF + b"0" * (1024 * 1024), "application/pdf")
    with pytest.raises(ValidationError) as refused:
        attach_file(file_dossier, "q-files", big, owner)
    # 1 MB and 209 bytes: shown with the decimals that make it visibly over the limit.
    assert refused.value.messages == ["“gros.pdf” is 1.0002 MB; files are limited to 1 MB each."]
    settings.ESSOR_MAX_UPLOAD_MB = 10
    assert attach_file(file_dossier, "q-files", big, owner).size > 1024 * 1024


def test_file_names_are_sanitised_and_stored_outside_the_public_media(
    file_dossier, owner, settings
):
    name = "../../Évaluation budgétaire <2026>!!.PDF"
    attachment = attach_file(file_dossier, "q-files", upload(name, PDF), owner)
    stored = attachment.file.name
    assert stored == (
        f"dossiers/{file_dossier.call_id}/{file_dossier.pk}/evaluation-budgetaire-2026.pdf"
    )
    assert attachment.original_name == "Évaluation budgétaire <2026>!!.PDF"
    path = Path(attachment.file.path)
    assert path.is_file()
    assert Path(settings.MEDIA_ROOT) not in path.parents
    assert Path(settings.STORAGES["private"]["OPTIONS"]["location"]) in path.parents


def test_storage_names_are_capped_and_never_empty():
    assert storage_name("a" * 300 + ".pdf", "pdf") == "a" * 80 + ".pdf"
    assert storage_name("!!!.pdf", "pdf") == "file.pdf"
    assert storage_name("C:\\Users\\moi\\rapport final.pdf", "pdf") == "rapport-final.pdf"


def test_a_question_takes_at_most_its_number_of_files(file_dossier, owner):
    attach_file(file_dossier, "q-files", upload("a.pdf", PDF), owner)
    attach_file(file_dossier, "q-files", upload("b.pdf", PDF), owner)
    with pytest.raises(ValidationError) as refused:
        attach_file(file_dossier, "q-files", upload("c.pdf", PDF), owner)
    assert "takes at most 2 file(s)" in refused.value.messages[0]


def test_files_only_answer_file_questions(file_dossier, owner):
    with pytest.raises(ValidationError):
        attach_file(file_dossier, "q-name", upload("a.pdf", PDF), owner)


def test_viewers_cannot_attach_nor_remove(file_dossier, owner, viewer):
    with pytest.raises(PermissionDenied):
        attach_file(file_dossier, "q-files", upload("a.pdf", PDF), viewer)
    attachment = attach_file(file_dossier, "q-files", upload("a.pdf", PDF), owner)
    with pytest.raises(PermissionDenied):
        remove_attachment(attachment, viewer)


def test_a_submitted_dossier_takes_no_more_files(file_dossier, owner):
    attach_file(file_dossier, "q-files", upload("a.pdf", PDF), owner)
    submitted = change_state(file_dossier, "submit", owner)
    with pytest.raises(PermissionDenied):
        attach_file(submitted, "q-files", upload("b.pdf", PDF), owner)
    # A copy loaded before the submission is checked again on the locked row.
    with pytest.raises(ValidationError) as refused:
        attach_file(file_dossier, "q-files", upload("b.pdf", PDF), owner)
    assert refused.value.messages == ["This dossier can no longer be changed."]
    assert file_dossier.attachments.count() == 1


# --- through the pages -------------------------------------------------------------------------


def dossier_url(dossier):
    return reverse("applications:dossier", args=[dossier.pk])


def test_files_sent_with_the_form_are_attached(client, file_dossier, editor):
    client.force_login(editor)
    data = form_post(revision=0, action="save")
    data["q-files"] = [upload("devis.pdf", PDF), upload("plan.png", PNG)]
    response = client.post(dossier_url(file_dossier), data)
    assert response.status_code == 302
    names = sorted(file_dossier.attachments.values_list("original_name", flat=True))
    assert names == ["devis.pdf", "plan.png"]


def test_a_refused_file_is_named_in_place_and_the_typed_text_kept(client, file_dossier, editor):
    client.force_login(editor)
    data = form_post({**COMPLETE_ANSWERS, "q-name": "Nom tapé"}, revision=0, action="save")
    data["q-files"] = upload("virus.pdf", EXE)
    response = client.post(dossier_url(file_dossier), data)
    assert response.status_code == 400
    assert "virus.pdf" in str(response.context["form"].errors["q-files"])
    assert 'value="Nom tapé"' in response.content.decode()
    file_dossier.refresh_from_db()
    assert file_dossier.answers["q-name"] == "Nom tapé"  # the draft is saved anyway
    assert not file_dossier.attachments.exists()


def test_the_remove_button_of_the_form_removes_the_file_and_saves(
    client, file_dossier, owner, django_capture_on_commit_callbacks
):
    attachment = attach_file(file_dossier, "q-files", upload("a.pdf", PDF), owner)
    path = Path(attachment.file.path)
    client.force_login(owner)
    data = form_post(revision=0, action=f"remove:{attachment.pk}")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(dossier_url(file_dossier), data)
    assert response.status_code == 302
    file_dossier.refresh_from_db()
    assert file_dossier.revision == 1
    assert not file_dossier.attachments.exists()
    assert not path.exists()


def test_the_delete_view_removes_for_editors_only(client, file_dossier, owner, viewer, outsider):
    attachment = attach_file(file_dossier, "q-files", upload("a.pdf", PDF), owner)
    url = reverse("applications:delete_attachment", args=[file_dossier.pk, attachment.pk])
    client.force_login(outsider)
    assert client.post(url).status_code == 404
    client.force_login(viewer)
    assert client.post(url).status_code == 403
    client.force_login(owner)
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert not Attachment.objects.exists()


def test_download_is_an_attachment_with_the_type_of_its_content(client, file_dossier, viewer):
    attachment = attach_file(
        file_dossier, "q-files", upload("Budget prévisionnel.pdf", PDF), viewer_owner(file_dossier)
    )
    client.force_login(viewer)
    response = client.get(reverse("applications:attachment", args=[file_dossier.pk, attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Budget" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF


def viewer_owner(dossier):
    return dossier.structure.memberships.get(role="owner").user


@pytest.mark.parametrize("who", ["anonymous", "outsider", "viewer", "editor", "owner", "staff"])
def test_download_permissions(client, file_dossier, who, request):
    owner = request.getfixturevalue("owner")
    attachment = attach_file(file_dossier, "q-files", upload("a.pdf", PDF), owner)
    url = reverse("applications:attachment", args=[file_dossier.pk, attachment.pk])
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    response = client.get(url)
    expected = {"anonymous": 302, "outsider": 404}.get(who, 200)
    assert response.status_code == expected
    if who == "anonymous":
        assert response.url.startswith(reverse("account_login"))


def test_a_file_is_never_reached_through_another_dossier(client, file_dossier, owner, outsider):
    attachment = attach_file(file_dossier, "q-files", upload("a.pdf", PDF), owner)
    their_dossier = factories.make_dossier(structure=outsider.memberships.get().structure)
    client.force_login(outsider)
    # The outsider's own dossier id with someone else's file id.
    url = reverse("applications:attachment", args=[their_dossier.pk, attachment.pk])
    assert client.get(url).status_code == 404
    delete = reverse("applications:delete_attachment", args=[their_dossier.pk, attachment.pk])
    assert client.post(delete).status_code == 404
    assert Attachment.objects.filter(pk=attachment.pk).exists()


# Sizes, office archives and names ---------------------------------------------------------------

MB = 1024 * 1024
DOCX_PARTS = [
    ("[Content_Types].xml", "<Types/>"),
    ("_rels/.rels", "<Relationships/>"),
    ("word/document.xml", "<w:document/>"),
]


def office_bytes(*parts, base=DOCX_PARTS):
    """A zipped office document: the parts that make it a .docx (or `base`), then `parts`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in [*base, *parts]:
            # OpenDocument's “mimetype” comes first, uncompressed, for programs to read its type.
            stored = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=stored)
    return buffer.getvalue()


def test_a_file_one_byte_over_the_limit_says_by_how_much(file_dossier, owner):
    over = upload("gros.pdf", PDF + b"0" * (10 * MB + 1 - len(PDF)))
    with pytest.raises(ValidationError) as refused:
        attach_file(file_dossier, "q-files", over, owner)
    assert refused.value.messages == [
        "“gros.pdf” is 10.000001 MB; files are limited to 10 MB each."
    ]
    with translation.override("fr"), pytest.raises(ValidationError) as refused:
        attach_file(file_dossier, "q-files", over, owner)
    assert "pèse 10,000001\u00a0Mo" in refused.value.messages[0]


def test_a_docx_that_says_it_unpacks_to_hundreds_of_mb_is_refused(file_dossier, owner):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in DOCX_PARTS:
            archive.writestr(name, data)
        archive.writestr("word/media/image1.png", b"\x89PNG" + bytes(1000))
        # The table of contents is what office software trusts, and all the check reads.
        archive.infolist()[-1].file_size = 300 * MB
    bomb = buffer.getvalue()
    assert len(bomb) < 10_000
    with pytest.raises(ValidationError) as refused:
        attach_file(file_dossier, "q-files", upload("rapport.docx", bomb), owner)
    assert refused.value.messages == [
        "“rapport.docx” would take more than 200 MB once opened: it cannot be attached. "
        "Compress its pictures, or export it as PDF."
    ]
    assert not Attachment.objects.exists()


def test_an_ods_over_the_unpacked_limit_is_refused(file_dossier, owner, settings):
    settings.ESSOR_MAX_UNPACKED_MB = 2
    ods = [
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
        ("content.xml", "<office:document-content/>"),
    ]
    sheet = office_bytes(("Pictures/padding.bin", bytes(3 * MB)), base=ods)
    with pytest.raises(ValidationError) as refused:
        attach_file(file_dossier, "q-files", upload("budget.ods", sheet), owner)
    assert "would take more than 2 MB once opened" in refused.value.messages[0]


def test_a_docx_padded_with_zeros_is_refused_for_its_compression(file_dossier, owner):
    bomb = office_bytes(("word/media/padding.bin", bytes(4 * MB)))
    assert len(bomb) < 20_000
    with pytest.raises(ValidationError) as refused:
        attach_file(file_dossier, "q-files", upload("statuts.docx", bomb), owner)
    assert "holds a part compressed 1,0" in refused.value.messages[0]
    assert "Export it as PDF instead." in refused.value.messages[0]


def test_archives_inside_a_document_are_refused(file_dossier, owner):
    renamed_zip = office_bytes(("word/media/image2.png", docx_bytes()))
    for document, part in [
        (office_bytes(("word/media/photos.zip", b"not even a zip")), "photos.zip"),
        (office_bytes(("word/media/image2.png", b"7z\xbc\xaf\x27\x1c" + bytes(50))), "image2.png"),
        (renamed_zip, "image2.png"),
    ]:
        with pytest.raises(ValidationError) as refused:
            attach_file(file_dossier, "q-files", upload("dossier.docx", document), owner)
        assert f"holds another archive (“{part}”)" in refused.value.messages[0]
    assert not Attachment.objects.exists()


def test_a_chart_s_embedded_spreadsheet_is_accepted_but_checked(file_dossier, owner):
    chart = office_bytes(("word/embeddings/Microsoft_Excel_Worksheet.xlsx", docx_bytes()))
    attach_file(file_dossier, "q-files", upload("graphique.docx", chart), owner)
    hidden = office_bytes(
        (
            "word/embeddings/Microsoft_Excel_Worksheet.xlsx",
            office_bytes(("xl/media/more.zip", docx_bytes())),
        )
    )
    with pytest.raises(ValidationError) as refused:
        attach_file(file_dossier, "q-files", upload("cache.docx", hidden), owner)
    assert "holds another archive (“more.zip”)" in refused.value.messages[0]


def test_a_document_with_too_many_parts_is_refused(file_dossier, owner):
    parts = [(f"word/p{i}.xml", "") for i in range(MAX_ZIP_ENTRIES)]
    with pytest.raises(ValidationError) as refused:
        attach_file(file_dossier, "q-files", upload("long.docx", office_bytes(*parts)), owner)
    assert "holds 5,003 parts, more than a document may hold (5,000)" in (refused.value.messages[0])


def test_a_damaged_document_is_refused_in_plain_words(file_dossier, owner):
    # The start still says “docx”; the table of contents at the end is gone.
    damaged = docx_bytes()[:-40]
    with pytest.raises(ValidationError) as refused:
        attach_file(file_dossier, "q-files", upload("abime.docx", damaged), owner)
    assert refused.value.messages == [
        "“abime.docx” cannot be read: the document is damaged. Save it again from your office "
        "software, or export it as PDF, and attach it again."
    ]


@pytest.mark.parametrize(
    ("sent", "kept"),
    [("C:\\Users\\a\\x.pdf", "x.pdf"), ("..\\..\\etc\\x.pdf", "x.pdf"), ("x\u202e.pdf", "x.pdf")],
)
def test_a_name_with_folders_is_kept_as_its_last_part_and_the_person_is_told(
    file_dossier, owner, sent, kept
):
    attachment = attach_file(file_dossier, "q-files", upload(sent, PDF), owner)
    assert attachment.original_name == kept
    notice = rename_notice(sent)
    assert f"is kept as “{kept}”" in notice
    assert notice.startswith(f"“{sent.replace(chr(0x202E), chr(0xFFFD))}”")
    assert rename_notice("x.pdf") is None
