"""A dossier as a PDF: what it prints (facts, answers in form order, no hidden question), in
French, for whom (the structure's members, the staff), and at a cost that does not grow with
the answers."""

import io
from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from applications.domain import deliberation
from applications.domain.attachments import attach_file
from applications.domain.dossier_pdf import dossier_pdf, pdf_filename
from applications.domain.dossiers import change_state
from tests import factories
from tests.applications.jury.test_deliberation_support import applicant_dossier_under_review
from tests.applications.staff_support import count_queries

pytestmark = pytest.mark.django_db

PDF_FILE = b"%PDF-1.4\n" + b"0" * 200
DESCRIPTION = "Un tiers-lieu où l’on répare, cuisine et œuvre ensemble.\nDeuxième ligne « ici »."


def question(block_id, kind, label, *, key="", show_if=("", ""), **extra):
    value = {
        "label": label,
        "key": key,
        "help_text": "",
        "required": False,
        "show_if_key": show_if[0],
        "show_if_value": show_if[1],
        **extra,
    }
    return {"type": kind, "value": value, "id": block_id}


def section(block_id, heading):
    return {"type": "section", "value": {"heading": heading, "help_text": ""}, "id": block_id}


FORM = [
    section("s-1", "Le projet et son équipe"),
    question("q-name", "short_text", "Nom du projet", max_length=120),
    question("q-desc", "long_text", "Décrivez votre projet", limit_unit="words", limit=300),
    question("q-budget", "money", "Budget prévisionnel", min_value=None, max_value=None),
    question("q-funded", "yes_no", "Déjà financé ?", key="funded"),
    question("q-funder", "short_text", "Quel financeur ?", show_if=("funded", "yes")),
    question("q-pitch", "long_text", "Votre accroche", limit_unit="words", limit=50),
    section("s-2", "Pièces jointes"),
    question("q-files", "file", "Budget détaillé", max_files=2),
    # A section whose only question does not apply is left out with it.
    section("s-3", "Financement existant"),
    question(
        "q-amount",
        "money",
        "Montant obtenu",
        show_if=("funded", "yes"),
        min_value=None,
        max_value=None,
    ),
]

ANSWERS = {
    "q-name": "Tiers-lieu <b>&</b> Cie",
    "q-desc": DESCRIPTION,
    "q-budget": "12500",
    "q-funded": "no",
    # Typed while "yes" was chosen, then the answer changed: kept, but not printed.
    "q-funder": "Fondation Cachée",
    "q-amount": "3000",
}


def text_of(pdf):
    """The PDF's text, with non-breaking spaces read as spaces."""
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages).replace("\u00a0", " ")


@pytest.fixture
def pdf_dossier(structure, owner):
    call = factories.make_call(form=FORM, title="Appel Émergence 2026")
    dossier = factories.make_dossier(
        call=call, structure=structure, answers=dict(ANSWERS), created_by=owner
    )
    attach_file(
        dossier,
        "q-files",
        SimpleUploadedFile("budget-prévisionnel.pdf", PDF_FILE, "application/pdf"),
        owner,
    )
    return dossier


def test_the_pdf_prints_the_facts_and_the_answers_that_apply_in_french(pdf_dossier, owner):
    dossier = change_state(pdf_dossier, "submit", owner)
    pdf = dossier_pdf(dossier, "fr", now=datetime(2026, 3, 2, 8, 30, tzinfo=UTC))
    assert pdf.startswith(b"%PDF")
    text = text_of(pdf)
    assert "Appel Émergence 2026" in text
    assert dossier.reference in text
    assert dossier.structure.name in text
    assert dossier.structure.siret in text
    assert "Déposé" in text
    assert "2 mars 2026 à 09:30 (heure de Paris)" in text
    assert "Le projet et son équipe" in text
    assert "Décrivez votre projet" in text
    assert "Un tiers-lieu où l’on répare, cuisine et œuvre ensemble." in text
    assert "Deuxième ligne « ici »." in text
    assert "Tiers-lieu <b>&</b> Cie" in text
    assert "12 500 €" in text
    assert "Non" in text
    assert "budget-pr" in text and ".pdf" in text
    assert "Aucune réponse" in text
    assert "Fondation Cachée" not in text and "Quel financeur" not in text
    assert "Financement existant" not in text and "3 000" not in text
    assert text.index("Le projet et son équipe") < text.index("Pièces jointes")
    assert "Page 1 / 1" in text


def test_the_document_says_what_it_is(pdf_dossier):
    reader = PdfReader(io.BytesIO(dossier_pdf(pdf_dossier, "fr")))
    assert reader.metadata.title == f"Dossier {pdf_dossier.reference} · Appel Émergence 2026"
    assert reader.metadata.author == "Essor"


def test_a_long_answer_wraps_over_numbered_pages(pdf_dossier):
    pdf_dossier.answers["q-desc"] = "\n".join(f"Paragraphe {n} : " + "mot " * 60 for n in range(80))
    text = text_of(dossier_pdf(pdf_dossier, "fr"))
    pages = len(PdfReader(io.BytesIO(dossier_pdf(pdf_dossier, "fr"))).pages)
    assert pages > 2
    assert f"Page 1 / {pages}" in text and f"Page {pages} / {pages}" in text
    assert "Paragraphe 79 :" in text


def test_the_applicant_reads_the_state_their_page_shows(dossier, owner, staff, client):
    dossier = applicant_dossier_under_review(dossier, owner, staff)
    dossier = deliberation.shortlist(dossier, staff)
    dossier = deliberation.decide(dossier, "select", staff, "A strong local anchoring.")
    client.force_login(owner)
    applicant = text_of(client.get(reverse("applications:dossier_pdf", args=[dossier.pk])).content)
    assert "En cours d’évaluation" in applicant or "Under review" in applicant
    assert "Sélectionné" not in applicant and "Selected" not in applicant
    client.force_login(staff)
    seen_by_staff = client.get(reverse("applications:staff_dossier_pdf", args=[dossier.pk]))
    assert "Selected" in text_of(seen_by_staff.content)


def test_a_member_downloads_their_dossier_as_an_attachment(client, pdf_dossier, viewer):
    client.force_login(viewer)
    response = client.get(reverse("applications:dossier_pdf", args=[pdf_dossier.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{pdf_dossier.reference}.pdf"'
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF")


def test_the_pages_link_to_their_pdf(client, pdf_dossier, viewer, staff):
    client.force_login(viewer)
    page = client.get(reverse("applications:dossier", args=[pdf_dossier.pk])).content.decode()
    assert reverse("applications:dossier_pdf", args=[pdf_dossier.pk]) in page
    client.force_login(staff)
    detail = client.get(reverse("applications:staff_dossier", args=[pdf_dossier.pk]))
    staff_pdf = reverse("applications:staff_dossier_pdf", args=[pdf_dossier.pk])
    assert staff_pdf in detail.content.decode()


def test_the_file_name_keeps_only_safe_characters(pdf_dossier):
    pdf_dossier.reference = 'ESS/2026 "é"; 7'
    assert pdf_filename(pdf_dossier) == "ESS-2026-7.pdf"


def test_another_structure_gets_not_found(client, pdf_dossier, outsider):
    client.force_login(outsider)
    assert client.get(reverse("applications:dossier_pdf", args=[pdf_dossier.pk])).status_code == 404


def test_only_staff_use_the_staff_address(client, pdf_dossier, owner, staff):
    url = reverse("applications:staff_dossier_pdf", args=[pdf_dossier.pk])
    client.force_login(owner)
    assert client.get(url).status_code == 403
    client.force_login(staff)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{pdf_dossier.reference}.pdf"'


def _big_form(count):
    form = []
    for n in range(count):
        if n % 10 == 0:
            form.append(section(f"s-{n}", f"Partie {n // 10 + 1}"))
        form.append(question(f"q-{n}", "long_text", f"Question {n}", limit_unit="words", limit=0))
        form.append(question(f"f-{n}", "file", f"Fichier {n}", max_files=1))
    return form


@pytest.mark.parametrize("url_name", ["applications:dossier_pdf", "applications:staff_dossier_pdf"])
def test_the_queries_do_not_grow_with_the_answers(
    client, structure, owner, staff, url_name, django_assert_max_num_queries
):
    def dossier_of(count):
        call = factories.make_call(form=_big_form(count))
        answers = {f"q-{n}": f"Réponse {n}" for n in range(count)}
        dossier = factories.make_dossier(call=call, structure=structure, answers=answers)
        for n in range(count):
            upload = SimpleUploadedFile(f"pièce-{n}.pdf", PDF_FILE, "application/pdf")
            attach_file(dossier, f"f-{n}", upload, owner)
        return dossier

    client.force_login(owner if url_name == "applications:dossier_pdf" else staff)
    small, large = dossier_of(1), dossier_of(40)
    _response, one = count_queries(lambda: client.get(reverse(url_name, args=[small.pk])))
    with django_assert_max_num_queries(one):
        response = client.get(reverse(url_name, args=[large.pk]))
    text = text_of(response.content)
    assert "Réponse 39" in text and "pièce-39.pdf" in text


def test_odd_text_prints_as_typed_and_a_long_name_keeps_the_footer_readable(pdf_dossier):
    pdf_dossier.structure.name = "Association " + "très longue " * 30
    pdf_dossier.answers["q-pitch"] = "Bip\x07 et\ttabulation\u202f!"
    text = text_of(dossier_pdf(pdf_dossier, "fr"))
    assert "Bip et tabulation !" in text
    assert "Page 1 / " in text
    footer = text.splitlines()[-1]
    assert footer.startswith(f"Dossier {pdf_dossier.reference} · Association très longue")
    assert footer.endswith("…")


def test_the_pdf_lists_the_files_the_receipt_and_the_form_answered(pdf_dossier, owner):
    from applications.domain.receipts import receipt_number

    dossier = change_state(pdf_dossier, "submit", owner)
    dossier.submitted_at = datetime(2026, 3, 2, 16, 5, 7, 123456, tzinfo=UTC)
    text = text_of(dossier_pdf(dossier, "en"))
    receipt = receipt_number(dossier)
    assert (
        receipt.startswith(f"{dossier.reference}-") and len(receipt) == len(dossier.reference) + 10
    )
    assert f"Receipt number\n{receipt}" in text
    assert "2 March 2026 at 17:05 (Paris time)" in text
    # The form it answered: the copy frozen at submission, its questions counted.
    assert "The form as it stood at submission (8 questions)" in text
    # Each file: its name, its size and its type, after the answers.
    files = text[text.index("Files\n") :]
    assert "budget-prévisionnel.pdf" in files and "209 bytes" in files and "PDF" in files
    assert "No answer" in text


def test_the_receipt_is_stable_and_changes_with_a_new_submission(pdf_dossier, owner):
    from applications.domain.receipts import receipt_number

    assert receipt_number(pdf_dossier) == ""
    dossier = change_state(pdf_dossier, "submit", owner)
    first = receipt_number(dossier)
    dossier.refresh_from_db()
    assert receipt_number(dossier) == first
    dossier.submitted_at = datetime(2026, 3, 9, 8, 0, tzinfo=UTC)
    assert receipt_number(dossier) not in ("", first)


def test_a_draft_says_it_answers_the_live_form_and_has_no_receipt(pdf_dossier):
    text = text_of(dossier_pdf(pdf_dossier, "en"))
    assert "The call's current form (8 questions), which may still change" in text
    assert "Receipt number" not in text
    assert "Submitted\nNot yet" in text


def test_a_dossier_without_files_says_so(structure):
    call = factories.make_call(form=FORM)
    dossier = factories.make_dossier(call=call, structure=structure, answers=dict(ANSWERS))
    text = text_of(dossier_pdf(dossier, "en"))
    assert text.index("Files\nNo file.") > text.index("Décrivez votre projet")
