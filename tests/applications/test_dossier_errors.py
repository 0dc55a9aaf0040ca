"""The DSFR error pattern on the dossier form and the structure form: after a refused submit, a
summary at the top with the count and a link to each field, "Error: " before the page title,
each error tied to its field (radio groups on their fieldset), what was typed kept; and the
completeness list links each missing answer to its field."""

import json
import re

import pytest
from django.urls import reverse

from applications.domain.attachments import attach_file
from tests import factories
from tests.applications.full_form import COMPLETE_ANSWERS, FULL_FORM, form_post
from tests.applications.test_files import PDF, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_dossier(structure, owner):
    call = factories.make_call(form=FULL_FORM)
    dossier = factories.make_dossier(
        call=call, structure=structure, answers=dict(COMPLETE_ANSWERS), created_by=owner
    )
    attach_file(dossier, "q-files", upload("budget.pdf", PDF), owner)
    return dossier


def page(dossier):
    return reverse("applications:dossier", args=[dossier.pk])


def _summary(html):
    match = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    return match.group(0) if match else ""


def _title(html):
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def _refused_submit(client, dossier):
    typed = {
        **COMPLETE_ANSWERS,
        "q-name": "",
        "q-budget": "12",
        "q-desc": "Mon texte tapé",
        "q-funded": "",
        "q-partners": [],
    }
    data = form_post(typed, revision=dossier.revision, action="submit")
    data["_present"] = "q-name q-desc q-pitch q-people q-budget q-start q-funded q-partners"
    del data["q-funded"]
    return client.post(page(dossier), data)


def test_a_refused_submit_shows_the_summary_with_a_link_to_each_field(client, full_dossier, owner):
    client.force_login(owner)
    response = _refused_submit(client, full_dossier)
    assert response.status_code == 400
    html = response.content.decode()
    assert _title(html).startswith("Error: ")
    summary = _summary(html)
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)
    anchors = [anchor for anchor, _text in links]
    # A text field, a radio group (its first radio), a partners table (its first cell).
    assert anchors == ["id_q-name", "id_q-budget", "id_q-funded_0", "id_q-partners"]
    assert links[0][1] == "Project name: This answer is required."
    assert "There are 4 problems" in summary
    assert 'tabindex="-1"' in summary and "data-error-summary" in summary
    # Every anchor is an element of the page, so each link has a field to go to.
    for anchor in anchors:
        assert f'id="{anchor}"' in html


def test_each_error_is_tied_to_its_field_and_groups_on_their_fieldset(client, full_dossier, owner):
    client.force_login(owner)
    html = _refused_submit(client, full_dossier).content.decode()
    name_input = re.search(r'<input[^>]*name="q-name"[^>]*>', html).group(0)
    assert "id_q-name_error" in re.search(r'aria-describedby="([^"]*)"', name_input).group(1)
    assert 'aria-invalid="true"' in name_input
    assert '<ul class="errorlist" id="id_q-name_error">' in html
    fieldset = re.search(r"<fieldset[^>]*>(?:(?!</fieldset>).)*id_q-funded_0", html, re.S).group(0)
    opening = re.match(r"<fieldset[^>]*>", fieldset).group(0)
    assert "id_q-funded_error" in opening
    # The error sits inside the fieldset, before the radios.
    assert 'id="id_q-funded_error"' in fieldset
    radio = re.search(r'<input type="radio" name="q-funded"[^>]*>', html).group(0)
    assert "aria-describedby" not in radio


def test_what_was_typed_is_kept_after_a_refused_submit(client, full_dossier, owner):
    client.force_login(owner)
    html = _refused_submit(client, full_dossier).content.decode()
    assert "Mon texte tapé</textarea>" in html
    assert 'name="q-budget" value="12"' in html


def test_a_page_without_errors_has_no_summary_and_a_plain_title(client, full_dossier, owner):
    client.force_login(owner)
    html = client.get(page(full_dossier)).content.decode()
    assert not _title(html).startswith("Error")
    assert _summary(html) == ""


def test_the_completeness_list_links_each_missing_answer_to_its_field(client, structure, owner):
    call = factories.make_call(form=FULL_FORM)
    answers = {k: v for k, v in COMPLETE_ANSWERS.items() if k not in ("q-name", "q-funded")}
    dossier = factories.make_dossier(call=call, structure=structure, answers={**answers})
    dossier.answers["q-people"] = "5000"  # over its maximum: to correct
    dossier.save()
    client.force_login(owner)
    html = client.get(page(dossier)).content.decode()
    box = re.search(r'<section class="card completeness".*?</section>', html, re.S).group(0)
    assert '<li><a href="#id_q-name">Project name</a></li>' in box
    assert '<li><a href="#id_q-funded_0">Already funded?</a></li>' in box
    assert '<li><a href="#id_q-people">People reached</a></li>' in box
    assert "aria-live" not in box

    response = client.post(
        reverse("applications:autosave", args=[dossier.pk]),
        json.dumps({"revision": dossier.revision, "data": {"q-name": ["Tiers-lieu"]}}),
        content_type="application/json",
    )
    body = response.json()["completeness"]
    assert {"anchor": "id_q-funded_0", "label": "Already funded?"} in body["missing_links"]
    assert {"anchor": "id_q-name", "label": "Project name"} not in body["missing_links"]
    assert body["to_correct_links"] == [{"anchor": "id_q-people", "label": "People reached"}]
    assert "Already funded?" in body["missing"]


def test_no_live_region_speaks_at_every_keystroke(client, full_dossier, owner):
    client.force_login(owner)
    html = client.get(page(full_dossier)).content.decode()
    form = re.search(r'<form [^>]*id="dossier-form".*?</form>', html, re.S).group(0)
    # The one live region is the save status, which the script changes once per save.
    assert form.count("aria-live") == 1
    assert 'id="save-status" role="status" aria-live="polite"' in form
    counter = re.search(r"<span[^>]*data-counter-for[^>]*>", form).group(0)
    assert "aria-live" not in counter


def test_the_structure_form_shows_the_error_pattern(client, owner):
    client.force_login(owner)
    response = client.post(
        reverse("accelerator:structure_create"),
        {"name": "Le Hangar", "legal_form": "association", "siret": "123", "creation_year": "2015"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert _title(html).startswith("Error: ")
    summary = _summary(html)
    anchors = re.findall(r'<a href="#([^"]+)">', summary)
    assert "id_siret" in anchors and "id_department" in anchors
    siret = re.search(r'<input[^>]*name="siret"[^>]*>', html).group(0)
    assert 'value="123"' in siret and "id_siret_error" in siret
