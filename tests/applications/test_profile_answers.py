"""The dossier does not ask again what the structure's profile knows: questions linked to a
profile field start with its answer, and an answer that differs from it draws a warning that never
holds the dossier back. Numbers and amounts are read and shown in French form."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from applications.domain.drafting import start_dossier
from applications.domain.profile_answers import contradictions, prefill
from applications.models import Dossier
from applications.questions import Question
from applications.questions.numbers import MoneyKind, NumberKind
from applications.questions.values import format_euros, parse_decimal
from tests import factories
from tests.applications.full_form import _field

pytestmark = pytest.mark.django_db

PROFILE_FORM = [
    _field("p-staff", "number", "Employees", profile_field="employees", integer_only=True),
    _field("p-budget", "money", "Annual budget", profile_field="annual_budget"),
    _field("p-esus", "yes_no", "ESUS agrément?", profile_field="esus_approved"),
    _field(
        "p-dep",
        "single_choice",
        "Département",
        profile_field="department",
        choices=["18 — Cher", "36 — Indre", "37 — Indre-et-Loire", "45 — Loiret"],
    ),
    _field("p-where", "short_text", "Where?", profile_field="department", required=False),
    _field("p-other", "number", "People reached", required=False),
]


@pytest.fixture
def profile_call(db):
    return factories.make_call(form=PROFILE_FORM)


@pytest.fixture
def loiret_structure(db):
    return factories.StructureFactory(
        name="Le Hangar",
        employees=3,
        annual_budget=Decimal("1234567.50"),
        esus_approved=False,
        department=factories.department("45", "Loiret"),
    )


def test_starting_a_dossier_stores_the_profiles_answers(profile_call, loiret_structure):
    owner = factories.MembershipFactory(structure=loiret_structure, role="owner").user
    dossier, created = start_dossier(profile_call, loiret_structure, owner)
    dossier.refresh_from_db()
    assert created
    assert dossier.answers == {
        "p-staff": "3",
        "p-budget": "1234567.50",
        "p-esus": "no",
        "p-dep": "45 — Loiret",
        "p-where": "Loiret (45)",
    }


def test_a_choice_naming_the_departement_alone_is_picked_not_a_longer_name(db):
    indre = factories.department("36", "Indre")
    structure = factories.StructureFactory(department=indre)
    assert prefill(PROFILE_FORM, {}, structure)["p-dep"] == "36 — Indre"
    structure.department = factories.department("41", "Loir-et-Cher")
    # No choice names it: nothing is guessed.
    assert "p-dep" not in prefill(PROFILE_FORM, {}, structure)


def test_prefill_leaves_given_answers_and_an_empty_profile_alone(loiret_structure):
    loiret_structure.employees = None
    filled = prefill(PROFILE_FORM, {"p-budget": "9000.00"}, loiret_structure)
    assert "p-staff" not in filled and "p-budget" not in filled
    assert filled["p-esus"] == "no"


def test_the_page_shows_blank_linked_answers_from_the_profile_and_the_next_save_stores_them(
    client, profile_call, loiret_structure
):
    owner = factories.MembershipFactory(structure=loiret_structure, role="owner").user
    # A dossier started before staff linked the questions: its answers are blank.
    dossier = factories.make_dossier(call=profile_call, structure=loiret_structure, answers={})
    client.force_login(owner)
    url = reverse("applications:dossier", args=[dossier.pk])
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert 'name="p-budget" value="1 234 567,50"' in html
    assert 'name="p-staff" value="3"' in html
    assert 'value="no" aria-required="true" id="id_p-esus_1" checked' in html
    assert 'id="id_p-staff_profile"' in html
    response = client.post(
        url,
        {
            "revision": dossier.revision,
            "_present": "p-staff p-budget p-esus p-dep p-where p-other",
            "p-staff": "3",
            "p-budget": "1 234 567,50",
            "p-esus": "no",
            "p-dep": "45 — Loiret",
            "p-where": "Loiret (45)",
            "action": "save",
        },
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.answers["p-staff"] == "3"
    assert dossier.answers["p-budget"] == "1234567.50"
    assert dossier.answers["p-esus"] == "no"


def test_the_dossier_keeps_its_copy_when_the_profile_changes(profile_call, loiret_structure):
    owner = factories.MembershipFactory(structure=loiret_structure, role="owner").user
    dossier, _created = start_dossier(profile_call, loiret_structure, owner)
    loiret_structure.employees = 8
    loiret_structure.save()
    dossier.refresh_from_db()
    assert dossier.answers["p-staff"] == "3"


def test_answers_that_differ_from_the_profile_are_warned_about(loiret_structure):
    answers = {
        "p-staff": "12",
        "p-budget": "1234567.50",
        "p-esus": "yes",
        "p-dep": "37 — Indre-et-Loire",
        "p-where": "Indre-et-Loire",
        "p-other": "12",
    }
    warnings = contradictions(PROFILE_FORM, answers, loiret_structure)
    assert set(warnings) == {"p-staff", "p-esus", "p-dep", "p-where"}
    assert "(12)" in warnings["p-staff"] and "employees: 3" in warnings["p-staff"]
    assert "your structure's profile" in warnings["p-staff"]
    agreeing = {"p-staff": "3", "p-esus": "no", "p-dep": "45 — Loiret", "p-where": "45 Loiret"}
    assert contradictions(PROFILE_FORM, agreeing, loiret_structure) == {}


def test_the_warning_is_in_the_users_language_with_french_numbers(loiret_structure):
    with translation.override("fr"):
        warning = contradictions(PROFILE_FORM, {"p-budget": "2000"}, loiret_structure)["p-budget"]
    assert "2 000 €" in warning.replace("\u202f", " ").replace("\xa0", " ")
    assert "1 234 567,50 €" in warning.replace("\u202f", " ").replace("\xa0", " ")


def test_the_page_and_autosave_warn_without_refusing(client, profile_call, loiret_structure):
    owner = factories.MembershipFactory(structure=loiret_structure, role="owner").user
    dossier = factories.make_dossier(
        call=profile_call, structure=loiret_structure, answers={"p-staff": "12"}
    )
    client.force_login(owner)
    html = client.get(reverse("applications:dossier", args=[dossier.pk])).content.decode()
    assert 'id="id_p-staff_warning"' in html and "employees: 3" in html
    # The warning describes the field, and is not an error.
    assert "id_p-staff_profile id_p-staff_warning" in html
    assert 'aria-invalid="true"' not in html
    response = client.post(
        reverse("applications:autosave", args=[dossier.pk]),
        json.dumps({"revision": dossier.revision, "data": {"p-staff": ["13"], "p-esus": ["yes"]}}),
        content_type="application/json",
    )
    body = response.json()
    assert response.status_code == 200 and body["ok"]
    assert set(body["warnings"]) == {"p-staff", "p-esus"}
    assert "(13)" in body["warnings"]["p-staff"]
    dossier.refresh_from_db()
    assert dossier.answers["p-staff"] == "13"


def test_a_contradicting_answer_does_not_stop_the_submission(client, loiret_structure):
    call = factories.make_call(form=PROFILE_FORM[:1])
    owner = factories.MembershipFactory(structure=loiret_structure, role="owner").user
    dossier = factories.make_dossier(call=call, structure=loiret_structure, answers={})
    client.force_login(owner)
    response = client.post(
        reverse("applications:dossier", args=[dossier.pk]),
        {"revision": dossier.revision, "_present": "p-staff", "p-staff": "12", "action": "submit"},
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == "submitted" and dossier.answers["p-staff"] == "12"


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("1 234,50", "1234.50"),
        ("1234,5", "1234.50"),
        ("1 234 €", "1234.00"),
        ("1\u202f234\u202f567,50\xa0€", "1234567.50"),
        ("1.234,50", "1234.50"),
        ("1234.5", "1234.50"),
    ],
)
def test_amounts_are_read_in_french_form(typed, value):
    question = Question(id="m", type="money", value={"label": "Budget"})
    assert MoneyKind().normalise(question, typed) == value


def test_numbers_are_read_in_french_form():
    question = Question(id="n", type="number", value={"label": "People"})
    assert NumberKind().normalise(question, "1 234,5") == "1234.5"
    assert parse_decimal("12 500") == Decimal("12500")


def test_numbers_and_amounts_are_shown_back_in_french_form(client, loiret_structure):
    call = factories.make_call(form=PROFILE_FORM[:2])
    owner = factories.MembershipFactory(structure=loiret_structure, role="owner").user
    viewer = factories.MembershipFactory(structure=loiret_structure, role="viewer").user
    dossier = factories.make_dossier(
        call=call, structure=loiret_structure, answers={"p-staff": "1500", "p-budget": "1234567.50"}
    )
    client.force_login(owner)
    url = reverse("applications:dossier", args=[dossier.pk])
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert 'value="1 234 567,50"' in html and 'value="1 500"' in html
    client.force_login(viewer)
    shown = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    shown = shown.replace("\u202f", " ").replace("\xa0", " ")
    assert "1 234 567,50 €" in shown and "1 500" in shown
    with translation.override("fr"):
        assert format_euros(Decimal("1234567.5")).replace("\u202f", " ").replace("\xa0", " ") == (
            "1 234 567,50 €"
        )


def test_the_profile_field_is_offered_only_to_kinds_that_hold_it():
    from applications.questions import KINDS

    assert "profile_field" in KINDS["number"].block().child_blocks
    assert "profile_field" in KINDS["yes_no"].block().child_blocks
    assert "profile_field" not in KINDS["long_text"].block().child_blocks
    # A field a kind cannot hold (hand-written data) links nothing.
    odd = [_field("x", "number", "X", profile_field="esus_approved")]
    structure = factories.StructureFactory()
    assert prefill(odd, {}, structure) == {} and Dossier.objects.count() == 0
