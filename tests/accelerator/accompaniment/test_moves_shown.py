"""The accompaniment page's one move form: a move whose conditions are unmet is shown disabled
with what it still needs, before anyone posts it; posting it anyway is refused by the runner with
the same words; the page asks the machine in a constant number of queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accelerator.domain.journey import moves_offered
from accelerator.models import Accompaniment
from tests.accelerator.accompaniment import S, page, url
from tests.accelerator.test_journey_transitions import fulfil, make_accompaniment

NEEDS_LABEL = "A labelling committee decision “granted” must be recorded before seed funding"


def _radio(html, name):
    for tag in re.findall(r"<input[^>]*>", html):
        if 'type="radio"' in tag and f'value="{name}"' in tag:
            return tag
    return None


def test_an_unmet_move_is_disabled_with_what_it_needs(accompaniment, manager, client_for):
    html = client_for(manager).get(page(accompaniment)).content.decode()
    form = re.search(r'<form[^>]*class="journey-move-form".*?</form>', html, re.S).group(0)
    # One form: one radio group of moves, one comment, one button.
    assert form.count("<textarea") == 1 and form.count('type="submit"') == 1
    assert 'name="move-comment"' in form
    blocked = _radio(form, "start_seed_funding")
    assert "disabled" in blocked
    assert 'aria-describedby="move-needs-start_seed_funding"' in blocked
    needs = re.search(
        r'<div class="journey-move__needs" id="move-needs-start_seed_funding">.*?</div>', form, re.S
    )
    assert NEEDS_LABEL in needs.group(0)
    # Pausing and leaving need nothing recorded: they are offered, enabled, and first.
    for name in ("pause", "exit"):
        assert "disabled" not in _radio(form, name)
    assert form.index('value="pause"') < form.index('value="start_seed_funding"')
    # A move the stage does not offer is not shown at all.
    assert _radio(form, "resume") is None and _radio(form, "start_fundraising") is None


def test_a_met_move_is_enabled(accompaniment, manager, client_for):
    fulfil(accompaniment, "start_seed_funding")
    html = client_for(manager).get(page(accompaniment)).content.decode()
    assert "disabled" not in _radio(html, "start_seed_funding")
    assert 'id="move-needs-start_seed_funding"' not in html


def test_moves_offered_give_the_runners_reasons(accompaniment):
    offered = dict(moves_offered(accompaniment))
    assert set(offered) == {"start_seed_funding", "pause", "exit"}
    assert NEEDS_LABEL in offered["start_seed_funding"][0]
    # The exit's reason is typed with the move: the page never disables it for that.
    assert offered["exit"] == [] and offered["pause"] == []


def test_posting_a_disabled_move_is_refused_with_that_reason(accompaniment, manager, client_for):
    response = client_for(manager).post(
        url("accompaniment_moves", accompaniment),
        {"move-move": "start_seed_funding", "move-comment": "On tente."},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert Accompaniment.objects.get(pk=accompaniment.pk).stage == S.LABELLING
    # The DSFR pattern: "Error: " in the title, the summary linking to the group, the error
    # inside the group's fieldset, which names it; the comment kept.
    assert re.search(r"<title>\s*Error: Accompaniment of", html)
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S).group(0)
    assert NEEDS_LABEL in summary and 'href="#id_move-move_0"' in summary
    fieldset = re.search(r"<fieldset[^>]*journey-moves[^>]*>", html).group(0)
    assert 'aria-describedby="id_move-move_error"' in fieldset
    errors = re.search(r'<ul class="errorlist" id="id_move-move_error">.*?</ul>', html, re.S)
    assert NEEDS_LABEL in errors.group(0)
    assert "On tente." in html
    assert "checked" in _radio(html, "start_seed_funding")


def test_a_move_must_be_chosen(accompaniment, manager, client_for):
    response = client_for(manager).post(
        url("accompaniment_moves", accompaniment), {"move-comment": "Sans choix."}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose where the structure goes." in html and "Sans choix." in html
    assert Accompaniment.objects.get(pk=accompaniment.pk).stage == S.LABELLING


def test_an_unknown_move_is_refused_by_the_form(accompaniment, manager, client_for):
    response = client_for(manager).post(
        url("accompaniment_moves", accompaniment), {"move-move": "delete"}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


@pytest.mark.parametrize(
    "stage", [S.SOURCING, S.LABELLING, S.SEED_FUNDING, S.FUNDRAISING, S.IMPACT_MEASUREMENT]
)
def test_the_page_asks_the_machine_in_constant_queries(
    structure, manager, client_for, django_assert_max_num_queries, stage
):
    """Whatever the stage, the moves cost the same few queries with one record of each kind
    their conditions read as with several."""
    client = client_for(manager)
    accompaniment = make_accompaniment(structure=structure, stage=stage)
    names = ("start_labelling", "start_seed_funding", "start_fundraising")
    for name in names:
        fulfil(accompaniment, name)
    client.get(page(accompaniment))  # warm the session and caches
    with CaptureQueriesContext(connection) as one:
        client.get(page(accompaniment))
    for name in names:
        for _ in range(3):
            fulfil(accompaniment, name)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(page(accompaniment))
    assert response.status_code == 200
    assert 'class="journey-move-form"' in response.content.decode()
