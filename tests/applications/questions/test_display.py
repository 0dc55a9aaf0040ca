"""A dossier read back: every row carries its PDF lines, and a juror in blind review gets them
scrubbed like the text (files by number, partners left out)."""

import pytest
from django.core.files.base import ContentFile

from applications.domain.answer_display import display_rows
from applications.domain.blind import juror_view
from applications.models import Attachment
from tests import factories
from tests.applications.full_form import COMPLETE_ANSWERS, FULL_FORM

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted_like(structure, owner):
    call = factories.make_call(form=FULL_FORM)
    answers = {**COMPLETE_ANSWERS, "q-desc": f"{structure.name} aide le village.\nDeux lignes."}
    dossier = factories.make_dossier(call=call, structure=structure, answers=answers)
    Attachment.objects.create(
        dossier=dossier,
        field_id="q-files",
        file=ContentFile(b"%PDF-1.4 test", name="budget-structure.pdf"),
        original_name="budget-structure.pdf",
        content_type="application/pdf",
        size=13,
    )
    return dossier


def test_every_row_has_its_pdf_lines(submitted_like):
    rows = {row["id"]: row for row in display_rows(submitted_like)}
    assert rows["s-1"]["pdf"] == ["Tell us"]
    assert rows["q-desc"]["pdf"] == [
        f"{submitted_like.structure.name} aide le village.",
        "Deux lignes.",
    ]
    assert rows["q-budget"]["pdf"] == ["12\u00a0500\u00a0€"]
    assert rows["q-area"]["pdf"] == ["Urban"]
    assert rows["q-files"]["pdf"] == ["budget-structure.pdf"]
    assert rows["q-partners"]["pdf"] == ["Mairie (Public body, Premises)"]
    assert rows["q-funder"]["pdf"] == []


def test_a_blind_jurors_pdf_lines_are_scrubbed_like_the_text(submitted_like):
    rows = {row["id"]: row for row in juror_view(submitted_like, blind=True).rows}
    assert submitted_like.structure.name not in " ".join(rows["q-desc"]["pdf"])
    assert rows["q-desc"]["pdf"][1] == "Deux lignes."
    assert rows["q-files"]["pdf"] == ["Attachment 1.pdf"]
    assert rows["q-partners"]["pdf"] == []
    seen = {row["id"]: row for row in juror_view(submitted_like, blind=False).rows}
    assert seen["q-files"]["pdf"] == ["budget-structure.pdf"]
