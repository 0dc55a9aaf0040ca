"""The blind-review scrubber: what it hides whatever the spelling, what it leaves alone, how fast,
and the bands that replace a structure's exact figures."""

import time
from decimal import Decimal

import pytest

from accelerator.models import Structure, User
from applications.domain.blind import (
    BUDGET_BANDS,
    CREATION_PERIODS,
    EMPLOYEE_BANDS,
    band,
    structure_facts,
)
from applications.domain.blind_scrubber import clean_blind_terms, fold, identity_scrubber
from applications.models import Dossier
from tests import factories

SIRET = factories.valid_siret(900)
PARTNER_SIRET = factories.valid_siret(901)


def _scrubber(**extra):
    structure = Structure(
        name="Atelier Soleil",
        siret=SIRET,
        rna="W451234567",
        website="https://www.soleil45.example/accueil",
        address="12 rue des Tilleuls",
        postcode="45800",
        city="Saint-Jean-de-Braye",
    )
    dossier = Dossier(structure=structure, blind_terms=extra.get("terms", []))
    members = [
        User(first_name="Hélène", last_name="Vasseur", email="helene.vasseur@atelier-soleil.fr"),
        User(first_name="Jean-Marc", last_name="Dupont", email="jm@soleil-loiret.org"),
        User(first_name="Zoé", last_name="Petit", email="zoe.petit@gmail.com"),
    ]
    partners = [{"name": "Fondation Lumière", "siret": PARTNER_SIRET}]
    return identity_scrubber(dossier, members, partners)


# Each leak of the finding, as an applicant might write it, and what must not survive.
LEAKS = {
    "name without accents": ("Contact : Helene Vasseur.", "helene"),
    "name in capitals": ("Signé HÉLÈNE VASSEUR", "vasseur"),
    "name with hyphens": ("L'Atelier-Soleil ouvre.", "soleil"),
    "name glued": ("Suivez #ateliersoleil !", "ateliersoleil"),
    "distinctive word alone": ("Le Soleil recrute.", "soleil"),
    "website, bare": ("Voir soleil45.example.", "soleil45"),
    "website, www": ("Voir www.soleil45.example/dons.", "soleil45"),
    "website, in a URL": ("Voir https://soleil45.example/projet.", "soleil45"),
    "first name alone": ("Merci à Hélène pour son aide.", "hélène"),
    "first name, half of a compound": ("Marc a monté le dossier.", "marc"),
    "last name alone": ("M. Dupont est trésorier.", "dupont"),
    "town": ("Nous sommes à Saint Jean de Braye.", "braye"),
    "town with hyphens, no accents": ("saint-jean-de-braye", "braye"),
    "postcode": ("Basés au 45800.", "45800"),
    "e-mail domain": ("Écrivez à accueil@soleil-loiret.org.", "loiret"),
    "e-mail address": ("helene.vasseur@atelier-soleil.fr", "vasseur"),
    "SIREN in any spacing": (f"SIREN {SIRET[:3]}.{SIRET[3:6]}.{SIRET[6:9]}", SIRET[6:9]),
    "RNA spaced": ("RNA W45 123 4567", "4567"),
    "address": ("Au 12, rue des Tilleuls.", "tilleuls"),
    "partner without accents": ("Soutenu par la fondation lumiere.", "lumiere"),
}


@pytest.mark.parametrize("text, gone", LEAKS.values(), ids=LEAKS.keys())
def test_each_leak_of_the_finding_is_hidden(text, gone):
    scrubbed = _scrubber()(text)
    assert gone not in scrubbed.casefold(), scrubbed
    assert "[" in scrubbed


def test_replacements_land_on_the_original_characters():
    scrub = _scrubber()
    text = f"ATELIER   SOLEIL, siret {SIRET[:3]}.{SIRET[3:6]}.{SIRET[6:9]}, contact Mme Vasseur"
    assert scrub(text) == "[structure], siret [structure], contact Mme [member]"
    text = f"Aidé par la fondation lumière ({PARTNER_SIRET}), helene.vasseur@atelier-soleil.fr"
    assert scrub(text) == "Aidé par la [partner] ([partner]), [member]"
    assert scrub("À Saint-Jean-de-Braye (45800), l'Atelier-Soleil.") == (
        "À [place] ([place]), l'[structure]."
    )
    # Accents typed as separate marks, and a soft hyphen, do not hide a name either.
    assert scrub("He\u0301le\u0300ne et Ate\u00adlier Soleil") == "[member] et [structure]"


def test_common_words_amounts_and_shared_mail_hosts_are_left_alone():
    scrub = _scrubber()
    text = (
        "L'association de la ville accueille les habitants dans un atelier solidaire du Loiret. "
        "Budget : 45 800 € en 2015, 12 bénévoles. Contact via gmail.com ou la mairie."
    )
    assert scrub(text) == text
    assert scrub("Un projet rural.") == "Un projet rural."
    assert scrub("") == "" and scrub(None) is None


def test_a_term_added_by_staff_is_hidden_in_any_spelling():
    scrub = _scrubber(terms=["Café des Mûriers"])
    assert scrub("Le cafe-des-muriers ouvre") == "Le [hidden] ouvre"
    assert clean_blind_terms(["  Café  des Mûriers ", "", "CAFE DES MURIERS", "La Ruche"]) == [
        "Café des Mûriers",
        "La Ruche",
    ]


def test_folding_ignores_accents_case_and_separators():
    assert fold("L’Atelier-SOLEIL, cœur & Straße") == "l atelier soleil coeur strasse"


def test_scrubbing_tens_of_thousands_of_characters_stays_fast():
    scrub = _scrubber()
    paragraph = (
        "Les ateliers du Soleil accueillent à Saint Jean de Braye (45800) les habitants ; écrivez "
        "à Helene Vasseur ou visitez www.soleil45.example. Nous avons reçu 45 000 € en 2015. "
    )
    text = (paragraph * 400)[:50_000]
    adversarial = "7 3 2 8 2 9 " * 4000 + "a" * 20_000 + "é-" * 10_000
    started = time.perf_counter()
    scrubbed = scrub(text)
    scrub(adversarial)
    # Some 40 ms on a laptop; the bound only catches a slide into backtracking.
    assert time.perf_counter() - started < 3
    assert "Vasseur" not in scrubbed and "45800" not in scrubbed


# --- bands ------------------------------------------------------------------------------------


def test_blind_facts_are_bands_and_open_facts_are_exact():
    structure = Structure(
        creation_year=2015, annual_budget=Decimal("120000.00"), employees=4, name="X"
    )
    facts = structure_facts(structure, blind=True)
    assert str(facts.creation) == "2010 to 2019"
    assert str(facts.budget) == "€50,000 to €200,000"
    assert str(facts.employees) == "1 to 5 employees"
    exact = structure_facts(structure, blind=False)
    assert (exact.creation, exact.budget, exact.employees) == (2015, Decimal("120000.00"), 4)


@pytest.mark.parametrize(
    "value, bands, label",
    [
        (Decimal("0"), BUDGET_BANDS, "under €50,000"),
        (Decimal("50000"), BUDGET_BANDS, "€50,000 to €200,000"),
        (Decimal("7500000"), BUDGET_BANDS, "€5 million or more"),
        (0, EMPLOYEE_BANDS, "no employee"),
        (51, EMPLOYEE_BANDS, "more than 50 employees"),
        (1901, CREATION_PERIODS, "before 1990"),
        (2024, CREATION_PERIODS, "2020 or later"),
    ],
)
def test_band_edges(value, bands, label):
    assert str(band(value, bands)) == label


def test_no_figure_gives_no_band():
    assert band(None, BUDGET_BANDS) is None
