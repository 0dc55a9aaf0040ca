"""The registry of question kinds: every block of the form has its kind, every kind answers
every method of a kind, an unknown kind is shown read-only."""

import inspect

from django import forms

from applications.blocks import ApplicationFormBlock
from applications.questions import KINDS, Condition, QuestionKind, kind_of
from applications.questions.base import UnknownKind
from tests.applications.questions.helpers import items, question

METHODS = [
    "block",
    "field",
    "normalise",
    "refusals",
    "problems",
    "is_answered",
    "display",
    "export_text",
    "pdf_paragraphs",
    "rules",
    "input_text",
    "carry",
    "matches",
]

CONDITION = Condition(question_id="q", operator="is_one_of", answers=("c-rural", "yes"))

# One stored answer per kind, in the shape that kind stores.
SAMPLES = {
    "section": None,
    "short_text": "Tiers-lieu",
    "long_text": "Un lieu.\n\nPour tous.",
    "number": "120",
    "money": "12500.50",
    "date": "2026-09-01",
    "yes_no": "yes",
    "single_choice": "c-rural",
    "multiple_choice": ["c-rural"],
    "file": None,
    "partners": [{"name": "Mairie", "kind": "public_body", "siret": "", "role": "Locaux"}],
}


def test_every_block_of_the_application_form_has_its_kind():
    children = ApplicationFormBlock().child_blocks
    assert list(children) == list(KINDS)
    for name, block in children.items():
        assert isinstance(block, KINDS[name].block_class)
        assert kind_of(name) is KINDS[name]


def test_every_method_of_a_kind_says_what_it_does_in_its_first_line():
    for name in METHODS:
        doc = inspect.getdoc(getattr(QuestionKind, name))
        assert doc and len(doc.splitlines()[0]) < 100, name


def test_every_kind_answers_every_method():
    assert set(SAMPLES) == set(KINDS)
    for name, kind in KINDS.items():
        asked = question(name, choices=items("Rural", "Urbain"), heading="Partie")
        assert isinstance(kind, QuestionKind) and kind.name == name
        assert isinstance(kind.block(), kind.block_class)
        if kind.stores_answer or kind.takes_files:
            assert isinstance(kind.field(asked, {}), forms.Field)
        value = kind.carry(asked, SAMPLES[name])
        assert value == (SAMPLES[name] if kind.stores_answer else None), name
        assert isinstance(kind.normalise(asked, SAMPLES[name]), (str, list, type(None)))
        assert kind.refusals(asked, SAMPLES[name]) == []
        assert kind.problems(asked, value, file_count=1) == []
        assert kind.is_answered(asked, value, file_count=1) is True
        typed, text = kind.display(asked, value, [])
        assert isinstance(text, str)
        assert isinstance(kind.export_text(asked, value, []), str)
        assert all(isinstance(line, str) for line in kind.pdf_paragraphs(asked, value, []))
        assert isinstance(kind.rules(asked), str)
        kind.input_text(asked, value)
        assert kind.matches(asked, value, CONDITION) is kind.condition_source, name


def test_only_choice_and_yes_no_kinds_may_be_tested_by_a_condition():
    sources = {name for name, kind in KINDS.items() if kind.condition_source}
    assert sources == {"yes_no", "single_choice", "multiple_choice"}
    assert {name for name, kind in KINDS.items() if not kind.stores_answer} == {"section", "file"}


def test_an_unknown_kind_is_shown_read_only_and_never_holds_a_dossier_back():
    kind = kind_of("spaceship")
    asked = question("spaceship")
    assert isinstance(kind, UnknownKind) and kind.name == "spaceship"
    assert kind.display(asked, kind.carry(asked, 42), []) == (42, "42")
    field = kind.field(asked, {})
    assert field.disabled
    assert not field.has_changed("42", "something else")
    assert kind.problems(asked, None) == [] and kind.is_answered(asked, None)
