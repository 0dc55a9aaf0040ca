"""The juror's review beside the dossier: each criterion's weight, the weighted total computed by
the server as the ranking does, the DSFR error pattern on a refused submit, the conflict question
with its consequence, and blind mode kept in the dossier shown beside the form."""

import html
import re

import pytest
from django.urls import reverse

from applications.domain.ranking import scored_reviews
from applications.domain.review_total import grid_weights
from applications.models import EvaluationCriterion, Review
from tests.applications.jury.helpers import assign, blind_phase, make_juror
from tests.applications.jury.test_jury_blind import (  # noqa: F401 (fixtures)
    IDENTITY,
    _leaks,
    call,
    dossier,
    juror,
)
from tests.applications.jury.test_reviews_support import Scene, form_post, is_checked


def _url(dossier_id):
    return reverse("applications:review", kwargs={"dossier_id": dossier_id})


@pytest.fixture
def scene(staff):
    return Scene(staff)


def _total_shown(page):
    match = re.search(r"<output[^>]*data-review-total-value[^>]*>([^<]*)</output>", page)
    assert match, "no weighted total on the page"
    return match.group(1).strip()


def test_each_criterion_shows_its_weight_and_the_script_its_numbers(client, scene):
    client.force_login(scene.user)
    page = client.get(_url(scene.dossier.pk)).content.decode()
    first, second, third = scene.criteria
    for criterion, weight in ((first, "Weight 1"), (second, "Weight 1"), (third, "Weight 2")):
        shown = re.search(
            rf'<p class="criterion__weight" id="id_score_{criterion.pk}_weight">(.*?)</p>', page
        )
        assert shown.group(1) == weight
        fieldset = re.search(rf'<fieldset[^>]*id="criterion-{criterion.pk}"[^>]*>', page).group(0)
        assert f"id_score_{criterion.pk}_weight" in fieldset
    # The grid's scales differ (0–5, 1–4, 0–10): each value is placed on the 0–10 reference.
    assert 'data-uniform="0"' in page and 'data-high="10"' in page
    fieldset = re.search(rf'<fieldset[^>]*id="criterion-{first.pk}"[^>]*>', page).group(0)
    assert 'data-weight="1.0"' in fieldset and 'data-factor="2.0"' in fieldset
    assert 'data-offset="0.0"' in fieldset
    assert "applications/js/review-total.js" in page
    assert _total_shown(page) == "—"


def test_the_total_is_the_rankings_score_of_the_review(client, scene):
    client.force_login(scene.user)
    # 4 on 0–5 reads 8 on 0–10 (weight 1); "not applicable" is out; 7 on 0–10 (weight 2).
    response = client.post(_url(scene.dossier.pk), form_post(scene.call, action="submit"))
    assert response.status_code == 302
    page = client.get(_url(scene.dossier.pk)).content.decode()
    assert _total_shown(page) == "7.33"  # (1 × 8 + 2 × 7) / 3
    ranked = scored_reviews(scene.call).get(assignment=scene.assignment)
    review = Review.objects.get(assignment=scene.assignment)
    values = {score.criterion_id: score.value for score in review.scores.all()}
    assert grid_weights(scene.criteria).total(values) == pytest.approx(ranked.weighted_score)
    assert f"{ranked.weighted_score:.2f}" == "7.33"


def test_on_a_uniform_grid_values_are_used_as_given(client, scene):
    EvaluationCriterion.objects.filter(call=scene.call).update(scale_min=0, scale_max=10)
    client.force_login(scene.user)
    first, second, third = scene.criteria
    data = form_post(scene.call, action="submit", **{f"score_{second.pk}": "3"})
    assert client.post(_url(scene.dossier.pk), data).status_code == 302
    page = client.get(_url(scene.dossier.pk)).content.decode()
    assert 'data-uniform="1"' in page
    assert _total_shown(page) == "5.25"  # (4 + 3 + 2 × 7) / 4
    ranked = scored_reviews(scene.call).get(assignment=scene.assignment)
    assert ranked.weighted_score == pytest.approx(5.25)


def test_a_refused_submit_shows_the_summary_and_keeps_what_was_typed(client, scene):
    client.force_login(scene.user)
    first, second, third = scene.criteria
    data = form_post(
        scene.call,
        action="submit",
        recommendation="",
        comment="Mon avis détaillé.",
        **{f"score_{third.pk}": ""},
    )
    response = client.post(_url(scene.dossier.pk), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(r"<title>\s*Error: Review of dossier", page)
    summary = re.search(r'<div class="error-summary".*?</div>', page, re.S).group(0)
    assert summary.count("<li>") == 2
    assert f'href="#id_score_{third.pk}_0"' in summary
    assert 'href="#id_recommendation_0"' in summary
    # Each radio group's error sits inside its fieldset, which names it.
    fieldset = re.search(rf'<fieldset[^>]*id="criterion-{third.pk}"[^>]*>', page).group(0)
    assert f"id_score_{third.pk}_error" in fieldset
    assert f'<ul class="errorlist" id="id_score_{third.pk}_error">' in page
    recommendation = re.search(r'<fieldset[^>]*id="recommendation"[^>]*>', page).group(0)
    assert "id_recommendation_error" in recommendation
    # What was typed stays, and the total reads what is checked: 4 → 8 on the reference scale.
    assert is_checked(page, f"score_{first.pk}", "4")
    assert "Mon avis détaillé." in html.unescape(page)
    assert _total_shown(page) == "8.00"
    # The page opens on the form, where the errors are, when it is shown as tabs.
    assert 'data-start="review"' in page
    assert not Review.objects.filter(assignment=scene.assignment).exists()


def test_the_recommendation_asks_its_question(client, scene):
    client.force_login(scene.user)
    page = client.get(_url(scene.dossier.pk)).content.decode()
    legend = re.search(r'id="recommendation".*?<legend>(.*?)</legend>', page, re.S).group(1)
    assert "Should this dossier be selected for the programme?" in legend
    assert 'data-start="dossier"' in page


def test_the_dossier_is_shown_beside_the_form(client, scene):
    client.force_login(scene.user)
    page = client.get(_url(scene.dossier.pk)).content.decode()
    assert 'id="panel-dossier"' in page and 'id="panel-review"' in page
    assert page.index('id="panel-dossier"') < page.index('id="answers-title"')
    assert page.index('id="answers-title"') < page.index('id="panel-review"')
    assert 'role="tablist"' in page and 'aria-controls="panel-review"' in page


def test_the_dossier_beside_the_form_stays_blind(client, call, dossier, juror):  # noqa: F811
    blind_phase(call)
    client.force_login(juror.user)
    response = client.get(_url(dossier.pk))
    assert response.status_code == 200
    page = response.content.decode()
    assert _leaks(page) == []
    assert "Attachment 1.pdf" in page and "[structure]" in page
    assert "1 partner, not shown in blind review." in page


def test_the_same_page_names_the_applicant_when_not_blind(client, call, dossier, juror):  # noqa: F811
    blind_phase(call, blind=False)
    client.force_login(juror.user)
    page = client.get(_url(dossier.pk)).content.decode()
    assert "Atelier Soleil" in page and "Fondation Lumière" in page


def test_the_conflict_question_says_its_consequence(client, scene):
    other, _assignment = scene.other_juror(declared=None)
    client.force_login(other.user)
    url = reverse("applications:juror_declare", args=[scene.dossier.pk])
    page = client.get(url).content.decode()
    legend = re.search(r"<fieldset[^>]*declare-kinds[^>]*>\s*<legend>(.*?)</legend>", page, re.S)
    assert "Do you have a link with this structure?" in legend.group(1)
    sentence = (
        "If you declare a conflict, you will not review this dossier and will not see it again."
    )
    assert f'<p class="declare-consequence" id="id_kind_helptext">{sentence}</p>' in page
    assert 'aria-describedby="id_kind_helptext"' in page

    response = client.post(url, {"kind": "", "details": "Je connais la directrice."})
    assert response.status_code == 400
    page = response.content.decode()
    assert re.search(r"<title>\s*Error: Conflict of interest", page)
    summary = re.search(r'<div class="error-summary".*?</div>', page, re.S)
    assert summary, page[page.index("<main") : page.index("</main>")]
    assert 'href="#id_kind_0"' in summary.group(0) and summary.group(0).count("<li>") == 1
    assert 'aria-describedby="id_kind_helptext id_kind_error"' in page
    assert '<ul class="errorlist" id="id_kind_error">' in page
    assert "Je connais la directrice." in html.unescape(page)


def test_someone_not_assigned_still_gets_a_404(client, scene):
    stranger = make_juror(scene.call)
    client.force_login(stranger.user)
    assert client.get(_url(scene.dossier.pk)).status_code == 404
    assign(stranger, scene.dossier, declared="member")
    assert client.get(_url(scene.dossier.pk)).status_code == 404
