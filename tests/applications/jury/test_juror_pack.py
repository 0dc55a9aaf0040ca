"""A juror's pack: their assigned dossiers on one call as one PDF, read back with pypdf. Blind
review is honoured as on the juror's page, a dossier with a declared conflict or not yet declared
on is left out (and counted on the cover), nobody but a juror of the call opens it."""

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from applications.domain.blind import neutral_code
from applications.domain.dossiers import change_state
from applications.domain.juror_pack import juror_pack_pdf
from applications.models import Dossier
from tests import factories
from tests.applications.full_form import COMPLETE_ANSWERS, FULL_FORM
from tests.applications.jury.helpers import assign, attach, blind_phase, make_juror

pytestmark = pytest.mark.django_db

SECRET_ANSWER = "Porté par l'Atelier Soleil depuis Saint-Jean-de-Braye."


def text_of(content):
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages).replace("\u00a0", " ")


@pytest.fixture
def call(db):
    return factories.make_call(form=FULL_FORM, title="Appel Pack 2026")


def _dossier(call, staff, name, pitch, file_name):
    structure = factories.StructureFactory(
        name=name,
        postcode="45800",
        city="Saint-Jean-de-Braye",
        creation_year=2015,
        annual_budget=Decimal("120000.00"),
        employees=4,
    )
    owner = factories.UserFactory(first_name="Hélène", last_name="Vasseur")
    factories.MembershipFactory(structure=structure, user=owner, role="owner")
    dossier = factories.make_dossier(call=call, structure=structure, answers=COMPLETE_ANSWERS)
    attach(dossier, name=file_name)
    change_state(dossier, "submit", owner)
    Dossier.objects.filter(pk=dossier.pk).update(answers={**COMPLETE_ANSWERS, "q-desc": pitch})
    dossier.refresh_from_db()
    return change_state(dossier, "mark_eligible", staff)


@pytest.fixture
def dossier(call, staff):
    return _dossier(call, staff, "Atelier Soleil", SECRET_ANSWER, "budget-soleil.pdf")


@pytest.fixture
def conflicted(call, staff):
    return _dossier(call, staff, "Ferme des Buttes", "Une ferme ouverte.", "plan-buttes.pdf")


@pytest.fixture
def juror(call, dossier, conflicted):
    juror = make_juror(call)
    assign(juror, dossier, declared="none")
    assign(juror, conflicted, declared="personal")
    return juror


def _pack(client, user, call):
    client.force_login(user)
    return client.get(reverse("applications:juror_pack", args=[call.pk]))


def test_the_open_pack_prints_the_dossier_as_the_juror_reads_it(client, call, dossier, juror):
    blind_phase(call, blind=False)
    response = _pack(client, juror.user, call)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="jury-{call.pk}-pack.pdf"'
    assert "no-store" in response["Cache-Control"]
    text = text_of(response.content)
    assert "Appel Pack 2026" in text
    assert dossier.reference in text and "Atelier Soleil" in text
    assert SECRET_ANSWER in text
    assert "budget-soleil.pdf" in text
    assert "Hélène Vasseur" in text
    assert "120,000 €" in text


def test_the_blind_pack_hides_the_identity_the_juror_page_hides(client, call, dossier, juror):
    blind_phase(call)
    text = text_of(_pack(client, juror.user, call).content)
    assert neutral_code(dossier) in text
    assert dossier.reference not in text
    assert "Atelier Soleil" not in text and "Soleil" not in text
    assert "Saint-Jean-de-Braye" not in text and "Braye" not in text
    assert "budget-soleil" not in text and "Attachment 1.pdf" in text
    assert "Vasseur" not in text
    assert "120,000" not in text and "€50,000 to €200,000" in text
    # The answer is there, its identity replaced by markers.
    assert "Porté par l'" in text and "[structure]" in text
    assert "1 partner, not shown in blind review." in text


def test_a_conflicted_dossier_is_left_out_and_counted(client, call, conflicted, juror):
    blind_phase(call, blind=False)
    text = text_of(_pack(client, juror.user, call).content)
    assert "Ferme des Buttes" not in text and conflicted.reference not in text
    assert "Une ferme ouverte." not in text and "plan-buttes" not in text
    assert "1 dossier on which you declared a conflict of interest is not in this pack." in text


def test_a_dossier_awaiting_the_declaration_is_left_out_and_counted(client, call, staff, juror):
    blind_phase(call, blind=False)
    undeclared = _dossier(call, staff, "Le Hangar", "Un hangar.", "hangar.pdf")
    assign(juror, undeclared)
    text = text_of(_pack(client, juror.user, call).content)
    assert "Le Hangar" not in text and "Un hangar." not in text
    assert "1 assigned dossier is not in this pack" in text


def test_each_dossier_starts_a_page_and_the_pack_reads_in_french(call, staff, dossier, juror):
    blind_phase(call, blind=False)
    other = _dossier(call, staff, "Jardin Partagé", "Un jardin.", "jardin.pdf")
    assign(juror, other, declared="none")
    reader = PdfReader(io.BytesIO(juror_pack_pdf(juror, "fr")))
    pages = [page.extract_text().replace("\u00a0", " ") for page in reader.pages]
    assert len(pages) >= 3
    assert any(page.lstrip().startswith(f"{dossier.reference} · Atelier Soleil") for page in pages)
    assert any(page.lstrip().startswith(f"{other.reference} · Jardin Partagé") for page in pages)
    assert "Réponses" in pages[1] and "Forme juridique" in pages[1]


@pytest.mark.parametrize("who", ["stranger", "other_juror", "staff", "anonymous"])
def test_only_a_juror_of_the_call_opens_their_pack(client, call, dossier, juror, staff, who):
    other_call = factories.make_call(form=FULL_FORM)
    users = {
        "stranger": factories.UserFactory(),
        "other_juror": make_juror(other_call).user,
        "staff": staff,
    }
    url = reverse("applications:juror_pack", args=[call.pk])
    if who == "anonymous":
        assert client.get(url).status_code == 302
        return
    assert _pack(client, users[who], call).status_code == 404
    assert _pack(client, juror.user, call).status_code == 200


def test_an_unknown_call_is_not_found(client, juror):
    client.force_login(juror.user)
    assert client.get(reverse("applications:juror_pack", args=[999_999])).status_code == 404


def test_each_other_juror_reads_only_their_own_dossiers(client, call, dossier, conflicted):
    blind_phase(call, blind=False)
    mine, theirs = make_juror(call), make_juror(call)
    assign(mine, dossier, declared="none")
    assign(theirs, conflicted, declared="none")
    text = text_of(_pack(client, mine.user, call).content)
    assert "Atelier Soleil" in text and "Ferme des Buttes" not in text


def test_the_queries_grow_only_with_the_dossiers_printed(call, staff, dossier, juror):
    """Bounded by the call's cap on each juror's assignments: a fixed cost per dossier."""
    blind_phase(call)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            juror_pack_pdf(juror, "en")
        return len(captured)

    one = queries()
    others = [_dossier(call, staff, f"Structure {n}", "Texte.", f"f{n}.pdf") for n in range(3)]
    for other in others:
        assign(juror, other, declared="none")
    per_dossier = (queries() - one) / 3
    assert per_dossier <= 6
