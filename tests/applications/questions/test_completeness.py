"""The completeness list: required answers "to fill in" apart from answers given that need "to
correct", on the page and in autosave's answer."""

import json

import pytest
from django.urls import reverse

from applications.domain.completeness import measure
from tests import factories
from tests.applications.full_form import COMPLETE_ANSWERS, FULL_FORM

pytestmark = pytest.mark.django_db


def test_an_answer_given_but_invalid_is_to_correct_not_to_fill_in():
    answers = {**COMPLETE_ANSWERS, "q-budget": "a lot", "q-pitch": "x" * 30}
    del answers["q-name"]
    measured = measure(FULL_FORM, answers, {"q-files": 1})
    assert measured.missing == ["Project name"]
    # The optional pitch over its limit holds the dossier back too.
    assert measured.to_correct == ["Pitch", "Budget"]  # in form order
    assert measured.answered == measured.required - 1
    assert not measured.is_complete


def test_too_many_files_or_too_few_partners_are_to_correct():
    answers = {**COMPLETE_ANSWERS, "q-partners": COMPLETE_ANSWERS["q-partners"] * 4}
    measured = measure(FULL_FORM, answers, {"q-files": 3})
    assert measured.missing == []
    assert measured.to_correct == ["Budget file", "Partners"]


def test_complete_answers_have_nothing_to_fill_in_or_correct():
    measured = measure(FULL_FORM, COMPLETE_ANSWERS, {"q-files": 1})
    assert (measured.missing, measured.to_correct, measured.is_complete) == ([], [], True)


@pytest.fixture
def draft(structure, owner):
    call = factories.make_call(form=FULL_FORM)
    answers = {**COMPLETE_ANSWERS, "q-budget": "a lot"}
    return factories.make_dossier(call=call, structure=structure, answers=answers)


def test_the_page_shows_both_lists_with_their_counts(client, draft, owner):
    client.force_login(owner)
    html = client.get(reverse("applications:dossier", args=[draft.pk])).content.decode()
    missing = html[html.index("data-completeness-missing") :]
    missing = missing[: missing.index("</section>")]
    assert "To fill in (1):" in missing
    assert '<li><a href="#id_q-files">Budget file</a></li>' in missing
    assert "To correct (1):" in missing and '<li><a href="#id_q-budget">Budget</a></li>' in missing
    assert 'data-text-to-correct="To correct (%(count)s):"' in html


def test_autosave_answers_both_lists(client, draft, owner):
    client.force_login(owner)
    response = client.post(
        reverse("applications:autosave", args=[draft.pk]),
        json.dumps({"revision": 0, "data": {"q-people": ["douze"]}}),
        content_type="application/json",
    )
    measured = response.json()["completeness"]
    assert measured["missing"] == ["Budget file"]
    assert measured["to_correct"] == ["People reached", "Budget"]
