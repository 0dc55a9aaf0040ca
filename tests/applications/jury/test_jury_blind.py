"""Blind review: while the call's review phase is blind, a juror's pages and files name nothing of
the applicant (structure, identifiers, members, partners, file names); otherwise they do."""

import pytest
from django.urls import reverse

from applications.domain.blind import identity_scrubber, is_blind, neutral_code
from applications.domain.dossiers import change_state
from tests import factories
from tests.applications.full_form import COMPLETE_ANSWERS, FULL_FORM
from tests.applications.jury.helpers import PDF, assign, attach, blind_phase, make_juror

SIRET = factories.valid_siret(900)
PARTNER_SIRET = factories.valid_siret(901)
FILE_NAME = "Budget Atelier Soleil 2026.pdf"


@pytest.fixture
def call(db):
    return factories.make_call(form=FULL_FORM)


@pytest.fixture
def dossier(call, staff):
    structure = factories.StructureFactory(
        name="Atelier Soleil",
        siret=SIRET,
        rna="W451234567",
        website="https://atelier-soleil.example",
        address="12 rue des Tilleuls",
        description="L'Atelier Soleil accueille les habitants.",
    )
    owner = factories.UserFactory(
        email="helene.vasseur@atelier-soleil.fr", first_name="Hélène", last_name="Vasseur"
    )
    factories.MembershipFactory(structure=structure, user=owner, role="owner")
    spaced = f"{SIRET[:3]} {SIRET[3:6]} {SIRET[6:9]} {SIRET[9:]}"
    answers = {
        **COMPLETE_ANSWERS,
        "q-name": "Projet Atelier Soleil",
        "q-desc": "Atelier Soleil avec Hélène Vasseur pour le village.",
        "q-funded": "yes",
        "q-funder": f"Déjà soutenu (SIRET {spaced}), voir Mme Vasseur.",
        "q-partners": [
            {
                "name": "Fondation Lumière",
                "kind": "public_body",
                "siret": PARTNER_SIRET,
                "role": "Financement",
            }
        ],
    }
    dossier = factories.make_dossier(call=call, structure=structure, answers=answers)
    attach(dossier, FILE_NAME)
    change_state(dossier, "submit", owner)
    return change_state(dossier, "mark_eligible", staff)


@pytest.fixture
def juror(call, dossier):
    juror = make_juror(call)
    assign(juror, dossier, declared="none")
    return juror


IDENTITY = [
    "Atelier Soleil",
    "atelier-soleil",
    SIRET,
    SIRET[:9],
    f"{SIRET[:3]} {SIRET[3:6]} {SIRET[6:9]}",
    "W451234567",
    "Hélène",
    "Vasseur",
    "Fondation Lumière",
    PARTNER_SIRET,
    "Tilleuls",
    "Budget Atelier Soleil",
]


def _leaks(text):
    lowered = text.casefold()
    return [token for token in IDENTITY if token.casefold() in lowered]


def _pages(client, call, dossier):
    urls = [
        reverse("applications:juror_home"),
        reverse("applications:juror_call", args=[call.pk]),
        reverse("applications:juror_dossier", args=[dossier.pk]),
    ]
    return {url: client.get(url) for url in urls}


def test_blind_review_leaks_no_identity_in_pages_nor_files(client, call, dossier, juror):
    blind_phase(call)
    client.force_login(juror.user)
    for url, response in _pages(client, call, dossier).items():
        assert response.status_code == 200, url
        assert _leaks(response.content.decode()) == [], url
    page = client.get(reverse("applications:juror_dossier", args=[dossier.pk])).content.decode()
    assert neutral_code(dossier) in page and dossier.reference not in page
    assert "Attachment 1.pdf" in page
    assert "[structure]" in page  # where the answers named it
    assert "1 partner, not shown in blind review." in page

    response = client.get(reverse("applications:juror_file", args=[dossier.pk, 1]))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert 'filename="Attachment 1.pdf"' in disposition
    assert _leaks(disposition) == []
    assert b"".join(response.streaming_content) == PDF


def test_the_same_pages_name_the_applicant_when_the_review_is_not_blind(
    client, call, dossier, juror
):
    blind_phase(call, blind=False)
    client.force_login(juror.user)
    page = client.get(reverse("applications:juror_dossier", args=[dossier.pk])).content.decode()
    assert {"Atelier Soleil", SIRET, "Hélène", "Vasseur", "Fondation Lumière"} <= set(_leaks(page))
    assert FILE_NAME in page and dossier.reference in page
    response = client.get(reverse("applications:juror_file", args=[dossier.pk, 1]))
    assert "Budget Atelier Soleil 2026.pdf" in response["Content-Disposition"]
    call_page = client.get(reverse("applications:juror_call", args=[call.pk])).content.decode()
    assert "Atelier Soleil" in call_page and dossier.reference in call_page


def test_between_two_blind_phases_the_review_stays_blind(call):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    blind_phase(call, starts_at=now - timedelta(days=10), ends_at=now - timedelta(days=5))
    assert is_blind(call)
    blind_phase(
        call, blind=False, starts_at=now + timedelta(days=1), ends_at=now + timedelta(days=2)
    )
    assert is_blind(call)
    assert not is_blind(factories.make_call())


def test_the_neutral_code_is_stable_and_differs_per_dossier(call, dossier):
    code = neutral_code(dossier)
    assert code == neutral_code(dossier)
    assert code.startswith("N-") and len(code) == 8
    assert dossier.reference not in code
    other = factories.make_dossier(call=call)
    assert neutral_code(other) != code


def test_the_scrubber_replaces_names_and_numbers_in_any_spacing(dossier):
    from applications.domain.blind import partner_rows

    members = [m.user for m in dossier.structure.memberships.all()]
    scrub = identity_scrubber(dossier, members, partner_rows(dossier))
    text = f"ATELIER   SOLEIL, siret {SIRET[:3]}.{SIRET[3:6]}.{SIRET[6:9]}, contact Mme Vasseur"
    assert scrub(text) == "[structure], siret [structure], contact Mme [member]"
    text = f"Aidé par la fondation lumière ({PARTNER_SIRET}), helene.vasseur@atelier-soleil.fr"
    assert scrub(text) == "Aidé par la [partner] ([partner]), [member]"
    assert scrub("Un projet rural.") == "Un projet rural."
