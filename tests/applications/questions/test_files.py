"""File questions: the kinds of file and the size staff accept, shown before any upload, in the
file input's `accept`, and checked when a file arrives."""

import pytest

from accelerator.domain.files import ACCEPTED
from accelerator.domain.refusals import Refused
from applications.domain.attachments import attach_file
from applications.questions.files import FILE_FAMILIES, accepted_endings, size_limit_mb
from tests import factories
from tests.applications.questions.helpers import question
from tests.applications.test_files import PDF, PNG, upload

STATUTES = question("file", max_files=2, accepted_types=["pdf"], max_size_mb=2)


def test_the_families_staff_choose_from_are_every_file_the_site_accepts():
    endings = {ending for family in FILE_FAMILIES.values() for ending in family["endings"]}
    assert endings == {ending for kind in ACCEPTED.values() for ending in kind}


def test_the_file_input_accepts_what_the_question_accepts():
    field = STATUTES.kind.field(STATUTES, {})
    assert field.widget.attrs["accept"] == ".pdf"
    assert field.widget.allow_multiple_selected
    every = question("file")
    assert accepted_endings(every) >= {"pdf", "png", "docx", "xlsx", "ods"}


def test_the_rules_name_the_files_and_size_accepted(settings):
    settings.ESSOR_MAX_UPLOAD_MB = 10
    assert STATUTES.kind.rules(STATUTES) == "At most 2 files. Accepted: PDF; at most 2 MB per file."
    pictures = question("file", accepted_types=["images", "pdf"])
    assert pictures.kind.rules(pictures) == (
        "Accepted: PDF, images (PNG, JPEG, GIF, WebP); at most 10 MB per file."
    )


def test_a_questions_size_limit_never_passes_the_sites(settings):
    settings.ESSOR_MAX_UPLOAD_MB = 1
    assert size_limit_mb(STATUTES) == 1
    settings.ESSOR_MAX_UPLOAD_MB = 10
    assert size_limit_mb(STATUTES) == 2
    assert size_limit_mb(question("file")) == 10


def test_files_are_answered_by_their_count_and_read_back_by_name():
    assert STATUTES.kind.problems(STATUTES, None, file_count=0) == ["Please attach a file."]
    assert STATUTES.kind.problems(STATUTES, None, file_count=3) == [
        "At most 2 files are accepted here."
    ]
    assert STATUTES.kind.is_answered(STATUTES, None, file_count=1)
    assert STATUTES.kind.carry(STATUTES, "anything") is None


@pytest.fixture
def restricted_dossier(db, structure, owner):
    form = [
        {
            "type": "file",
            "id": "q-statutes",
            "value": {"label": "Statuts", "required": True, **STATUTES.value},
        }
    ]
    call = factories.make_call(form=form)
    return factories.make_dossier(call=call, structure=structure, created_by=owner)


def test_a_file_of_another_kind_is_refused_naming_what_is_accepted(restricted_dossier, owner):
    with pytest.raises(Refused) as refused:
        attach_file(restricted_dossier, "q-statutes", upload("photo.png", PNG), owner)
    assert refused.value.messages == [
        "“photo.png” cannot be attached here: this question accepts PDF."
    ]
    assert restricted_dossier.attachments.count() == 0


def test_a_file_over_the_questions_size_is_refused(restricted_dossier, owner, settings):
    settings.ESSOR_MAX_UPLOAD_MB = 10
    big = upload("statuts.pdf", PDF + b"0" * (2 * 1024 * 1024))
    with pytest.raises(Refused) as refused:
        attach_file(restricted_dossier, "q-statutes", big, owner)
    assert refused.value.messages[0].startswith("“statuts.pdf” is 2")
    assert refused.value.messages[0].endswith("this question accepts files of at most 2 MB.")


def test_an_accepted_file_is_attached(restricted_dossier, owner):
    attachment = attach_file(restricted_dossier, "q-statutes", upload("statuts.pdf", PDF), owner)
    assert attachment.field_id == "q-statutes"
