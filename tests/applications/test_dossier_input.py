"""What a dossier save accepts: hard caps on amounts, numbers and sizes, control characters, saves
that change only what they carry, numbers shown back in the person's language, the rules shown
next to each field, and the submit button after the closing time (issue 8: Trust)."""

import datetime
import json
import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from django.utils.datastructures import MultiValueDict

from applications.domain import answer_input
from applications.domain.drafting import AnswersTooLarge, save_answers
from applications.domain.form_definition import questions
from applications.forms.dossier import DossierForm
from applications.models import Dossier
from applications.questions import Question
from applications.questions.common import LONG_TEXT_CAP
from tests import factories
from tests.applications.full_form import COMPLETE_ANSWERS, FULL_FORM, form_post
from tests.applications.test_files import PDF, upload

pytestmark = pytest.mark.django_db

QUESTIONS = {q.id: q for q in questions(FULL_FORM)}
MARKERS = [q.id for q in QUESTIONS.values() if q.kind.stores_answer]


@pytest.fixture
def full_dossier(structure, owner):
    call = factories.make_call(form=FULL_FORM)
    return factories.make_dossier(
        call=call, structure=structure, answers=dict(COMPLETE_ANSWERS), created_by=owner
    )


def page(dossier):
    return reverse("applications:dossier", args=[dossier.pk])


def autosave(client, dossier, data, revision=0):
    return client.post(
        reverse("applications:autosave", args=[dossier.pk]),
        json.dumps({"revision": revision, "data": data}),
        content_type="application/json",
    )


def whole_page_post(**changes):
    """What the page posts: every answer, every marker, the changes."""
    answers = {**COMPLETE_ANSWERS, **changes}
    return form_post(answers, _present=" ".join(MARKERS), revision=0, action="save")


# --- 1. amounts and numbers beyond any real project -----------------------------------------


@pytest.mark.parametrize(
    "typed, reason",
    [
        ("1" * 40, "An amount may not exceed 1,000,000,000"),
        ("1e999", "An amount may not exceed"),
        ("NaN", "Enter an amount in euros"),
        ("Infinity", "Enter an amount in euros"),
        ("2 000 000 000", "An amount may not exceed"),
        ("12.345", "at most two decimals"),
    ],
)
def test_an_amount_beyond_the_bounds_is_refused_in_place_and_the_rest_saved(
    client, full_dossier, owner, typed, reason
):
    client.force_login(owner)
    response = client.post(
        page(full_dossier), whole_page_post(**{"q-budget": typed, "q-name": "Neuf"})
    )
    assert response.status_code == 400
    shown = response.content.decode()
    assert reason in shown
    assert f'value="{typed}"' in shown  # the typed value stays in its field
    assert "except the answers marked below" in shown
    full_dossier.refresh_from_db()
    assert full_dossier.answers["q-budget"] == "12500.00"
    assert full_dossier.answers["q-name"] == "Neuf"


def test_autosave_refuses_an_overflowing_amount_and_number_and_saves_the_rest(
    client, full_dossier, owner
):
    client.force_login(owner)
    response = autosave(
        client,
        full_dossier,
        {"q-budget": ["9" * 40], "q-villages": ["1e999"], "q-name": ["Neuf"]},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] and body["revision"] == 1
    assert set(body["refused"]) == {"q-budget", "q-villages"}
    assert "A number may not exceed" in body["refused"]["q-villages"][0]
    assert "except the answers marked in red" in body["message"]
    full_dossier.refresh_from_db()
    assert full_dossier.answers["q-budget"] == "12500.00"
    assert "q-villages" not in full_dossier.answers
    assert full_dossier.answers["q-name"] == "Neuf"


def refusals(question, typed):
    return question.kind.refusals(question, typed)


def test_number_and_whole_number_answers_have_hard_bounds_too():
    people, villages = QUESTIONS["q-people"], QUESTIONS["q-villages"]
    assert refusals(people, "1" * 40)
    assert refusals(people, "-1e999")
    assert refusals(villages, "0.0000001")  # seven decimals
    assert refusals(villages, "NaN") == ["Enter a number."]
    assert refusals(villages, "12,5") == []
    assert refusals(people, "beaucoup") == []  # kept as typed, reported at submission


def test_the_submission_check_of_a_huge_stored_amount_answers_instead_of_raising():
    budget = QUESTIONS["q-budget"]
    problems = budget.kind.problems(budget, "1" * 40)
    assert problems == ["The largest accepted value is 50,000\u00a0€."]
    assert budget.kind.normalise(budget, "1e999") == "1e999"


# --- 2. control characters --------------------------------------------------------------------


def test_a_nul_byte_is_removed_and_said_and_the_answer_never_erased(client, full_dossier, owner):
    client.force_login(owner)
    response = client.post(
        page(full_dossier), whole_page_post(**{"q-name": "Tiers\x00lieu\x07 du bourg"}), follow=True
    )
    assert response.status_code == 200
    assert "Invisible control characters" in response.content.decode()
    assert "“Project name”" in response.content.decode()
    full_dossier.refresh_from_db()
    assert full_dossier.answers["q-name"] == "Tierslieu du bourg"


def test_autosave_removes_control_characters_and_says_so(client, full_dossier, owner):
    client.force_login(owner)
    body = autosave(
        client,
        full_dossier,
        {"q-desc": ["Ligne\x00 un\nligne deux\tfin"], "q-partners.name": ["M\x00"]},
    ).json()
    assert body["ok"]
    assert "Invisible control characters" in body["notice"]
    full_dossier.refresh_from_db()
    assert full_dossier.answers["q-desc"] == "Ligne un\nligne deux\tfin"
    assert full_dossier.answers["q-partners"][0]["name"] == "M"


def test_save_answers_never_lets_a_control_character_reach_the_database(dossier, owner):
    save_answers(dossier, {"f-name": "a\x00b", "x\x00": [{"n": "\ud800c\x1f"}]}, owner, 0)
    stored = Dossier.objects.get(pk=dossier.pk).answers
    assert stored == {"f-name": "ab", "x": [{"n": "c"}]}
    assert "\x00" not in json.dumps(stored)


# --- 3. a save changes only what it carries ---------------------------------------------------


def test_a_save_carrying_only_a_file_keeps_every_other_answer(client, full_dossier, owner):
    client.force_login(owner)
    response = client.post(
        page(full_dossier),
        {"revision": 0, "action": "save", "q-files": upload("budget.pdf", PDF)},
    )
    assert response.status_code == 302
    full_dossier.refresh_from_db()
    assert full_dossier.answers == COMPLETE_ANSWERS
    assert full_dossier.attachments.count() == 1


def test_autosave_carrying_one_answer_changes_only_that_one(client, full_dossier, owner):
    client.force_login(owner)
    assert autosave(client, full_dossier, {"q-name": ["Autre nom"]}).json()["ok"]
    full_dossier.refresh_from_db()
    assert full_dossier.answers == {**COMPLETE_ANSWERS, "q-name": "Autre nom"}


def test_an_unticked_box_clears_its_choices_only_when_the_page_showed_it(
    client, full_dossier, owner
):
    client.force_login(owner)
    data = whole_page_post()
    del data["q-themes"]  # every box unticked: the browser sends nothing for them
    without_markers = {k: v for k, v in data.items() if k != "_present"}
    client.post(page(full_dossier), without_markers)
    full_dossier.refresh_from_db()
    assert full_dossier.answers["q-themes"] == ["Food"]
    data["revision"] = 1
    client.post(page(full_dossier), data)
    full_dossier.refresh_from_db()
    assert "q-themes" not in full_dossier.answers
    assert full_dossier.answers["q-name"] == "Tiers-lieu"


def test_autosave_of_an_unticked_box_with_its_marker_clears_it(client, full_dossier, owner):
    client.force_login(owner)
    assert autosave(client, full_dossier, {"_present": ["q-themes q-funded"]}).json()["ok"]
    full_dossier.refresh_from_db()
    assert "q-themes" not in full_dossier.answers and "q-funded" not in full_dossier.answers
    assert full_dossier.answers["q-desc"] == COMPLETE_ANSWERS["q-desc"]


def test_the_page_marks_each_question_it_shows(client, full_dossier, owner):
    client.force_login(owner)
    shown = client.get(page(full_dossier)).content.decode()
    assert f'name="_present" value="{" ".join(MARKERS)}"' in shown  # the file question aside


# --- 4. after the closing time ----------------------------------------------------------------


def test_after_the_closing_time_the_page_says_when_and_offers_no_submission(
    structure, owner, client
):
    closes = datetime.datetime(2026, 3, 31, 22, 0, tzinfo=datetime.UTC)  # midnight in Paris
    call = factories.make_call(
        form=FULL_FORM, opens_at=closes - timedelta(days=30), closes_at=closes
    )
    dossier = factories.make_dossier(call=call, structure=structure, answers=dict(COMPLETE_ANSWERS))
    client.force_login(owner)
    with time_machine.travel(closes - timedelta(hours=1)):
        assert 'value="submit"' in client.get(page(dossier)).content.decode()
    with time_machine.travel(closes + timedelta(hours=1)):
        response = client.get(page(dossier))
    shown = response.content.decode()
    assert 'value="submit"' not in shown
    assert "The call closed on 1 April 2026 at 00:00 (Paris time)" in shown
    assert 'disabled aria-describedby="call-closed"' in shown
    assert 'value="Tiers-lieu"' in shown  # the draft stays readable
    assert response.context["can_submit"] is False


# --- 5. numbers shown back as people type them ------------------------------------------------


@pytest.mark.parametrize(
    "stored, language, shown",
    [
        ("180000.00", "fr", "180 000"),
        ("180000.50", "fr", "180 000,50"),
        ("-1234.5", "fr", "-1 234,5"),
        ("180000.00", "en", "180000"),
        ("180000.50", "en", "180000.50"),
        ("beaucoup", "fr", "beaucoup"),
    ],
)
def test_an_amount_comes_back_in_the_edit_field_in_the_active_language(stored, language, shown):
    with translation.override(language):
        form = DossierForm(FULL_FORM, answers={"q-budget": stored, "q-villages": stored})
        assert form["q-budget"].value() == shown
        if not stored.endswith(".00"):  # a number keeps the decimals it was typed with
            assert form["q-villages"].value() == shown


@pytest.mark.parametrize("typed", ["180 000,50", "180000.50", "180\u202f000,50", "180.000,50"])
def test_both_french_and_plain_amounts_are_read(client, full_dossier, owner, typed):
    client.force_login(owner)
    autosave(client, full_dossier, {"q-budget": [typed]})
    full_dossier.refresh_from_db()
    assert full_dossier.answers["q-budget"] == "180000.50"


def test_the_page_shows_the_stored_amount_without_its_zero_decimals(client, full_dossier, owner):
    client.force_login(owner)
    shown = client.get(page(full_dossier)).content.decode()
    assert 'value="12500"' in shown and "12500.00" not in shown


# --- 6. sizes -----------------------------------------------------------------------------------


def test_a_single_huge_word_in_a_word_limited_field_is_refused_and_kept(
    client, full_dossier, owner
):
    client.force_login(owner)
    word = "x" * 100_000
    response = client.post(page(full_dossier), whole_page_post(**{"q-desc": word}))
    assert response.status_code == 400
    shown = response.content.decode()
    assert "This answer is too long to be saved: 100,000 characters, at most 1,000." in shown
    assert word in shown
    full_dossier.refresh_from_db()
    assert full_dossier.answers["q-desc"] == COMPLETE_ANSWERS["q-desc"]


def test_a_text_without_limit_has_a_hard_cap_but_a_draft_may_run_over_its_soft_limit(
    client, full_dossier, owner
):
    client.force_login(owner)
    body = autosave(client, full_dossier, {"q-funder": ["y" * 3000], "q-name": ["z" * 60]}).json()
    assert list(body["refused"]) == ["q-funder"]
    full_dossier.refresh_from_db()
    assert "q-funder" not in full_dossier.answers
    assert full_dossier.answers["q-name"] == "z" * 60  # over its 40, reported at submission


def many_long_questions(count):
    return [
        {"type": "long_text", "value": {"label": f"Q{i}", "required": False}, "id": f"l-{i}"}
        for i in range(count)
    ]


def test_a_dossier_over_the_size_cap_is_refused_whole_and_kept_on_the_page(
    client, structure, owner
):
    call = factories.make_call(form=many_long_questions(30))
    dossier = factories.make_dossier(call=call, structure=structure, answers={"l-0": "Avant"})
    client.force_login(owner)
    data = {f"l-{i}": f"{i}" + "a" * 19_000 for i in range(30)}
    response = client.post(page(dossier), {**data, "revision": 0, "action": "save"})
    assert response.status_code == 400
    shown = response.content.decode()
    assert "your answers together are too long" in shown
    assert data["l-29"] in shown
    refused = autosave(client, dossier, {k: [v] for k, v in data.items()})
    assert refused.status_code == 413
    assert refused.json()["too_large"] is True
    dossier.refresh_from_db()
    assert dossier.answers == {"l-0": "Avant"} and dossier.revision == 0
    with pytest.raises(AnswersTooLarge):
        save_answers(dossier, data, owner, 0)


def test_autosave_over_the_servers_body_limit_answers_in_json(
    client, full_dossier, owner, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client.force_login(owner)
    response = autosave(client, full_dossier, {"q-desc": ["mot " * 400]})
    assert response.status_code == 413
    assert "more than the server accepts at once" in response.json()["message"]
    full_dossier.refresh_from_db()
    assert full_dossier.revision == 0


def test_the_page_tells_its_script_every_cap(client, full_dossier, owner):
    client.force_login(owner)
    shown = client.get(page(full_dossier)).content.decode()
    assert f'data-max-total="{answer_input.DOSSIER_CHARACTER_CAP}"' in shown
    # Ten words: the floor of 1,000 characters; no limit at all: the hard cap.
    assert re.search(r'<textarea[^>]* data-max-characters="1000"[^>]* id="id_q-desc"', shown)
    assert re.search(r'<input[^>]* data-max-characters="2000"[^>]* id="id_q-funder"', shown)


def cap(question):
    return question.kind.cap(question)


def test_character_caps_follow_each_kind_of_limit():
    assert cap(QUESTIONS["q-name"]) == 540  # 40 characters
    assert cap(QUESTIONS["q-pitch"]) == 520  # 20 characters
    words = Question(id="w", type="long_text", value={"limit": 500, "limit_unit": "words"})
    assert cap(words) == 7_500
    free = Question(id="f", type="long_text", value={})
    assert cap(free) == LONG_TEXT_CAP


# --- 7. the rules, shown before any failure -----------------------------------------------------


def test_each_field_shows_its_rules_before_any_failure(client, full_dossier, owner):
    client.force_login(owner)
    shown = client.get(page(full_dossier)).content.decode()
    assert 'id="id_q-people_rules">Between 1 and 1,000. Whole numbers only.</span>' in shown
    assert "Between 1,000\u00a0€ and 50,000\u00a0€. In euros, with at most two decimals." in shown
    assert 'id="id_q-themes_rules">Pick at most 2 answers.</span>' in shown
    assert 'id="id_q-partners_rules">Between 1 and 3 partners.</span>' in shown
    assert 'id="id_q-name_rules">40 characters at most.</span>' in shown
    assert 'id="id_q-desc_rules">10 words at most.</span>' in shown
    assert (
        'id="id_q-files_rules">At most 2 files. Accepted: PDF, images (PNG, JPEG, GIF, WebP), '
        "office documents (Word, PowerPoint, OpenDocument), spreadsheets (Excel, OpenDocument); "
        "at most 10 MB per file.</span>"
    ) in shown
    assert 'aria-describedby="id_q-people_helptext id_q-people_rules"' in shown


def test_the_form_reads_back_what_a_browser_sends_for_a_partial_save():
    form = DossierForm(
        FULL_FORM,
        data=MultiValueDict({"q-name": ["Nouveau"], "_present": ["q-name", "q-themes"]}),
        answers=dict(COMPLETE_ANSWERS),
    )
    form.is_valid()
    answers = form.answers()
    assert answers["q-name"] == "Nouveau"
    assert "q-themes" not in answers
    assert answers["q-partners"] == COMPLETE_ANSWERS["q-partners"]
