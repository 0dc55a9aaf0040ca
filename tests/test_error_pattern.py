"""The DSFR error pattern on a refused submit, across the rooms: a summary at the top with the
count and one link per error (each to an element of the page), "Erreur : " before the page's
title, each error tied to its field (radio groups in a fieldset), valid list semantics, and what
was typed kept. The shared pieces: accelerator/templatetags/form_errors.py,
templates/includes/error_summary.html, accelerator/templates/accelerator/includes/field.html."""

import re

import pytest
from bs4 import BeautifulSoup
from django import forms
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from accelerator.models import Invitation, PlannedIndicator, RegulatoryObstacle
from accelerator.templatetags.form_errors import error_title, summary_items
from applications.domain import jury_invitations
from applications.domain.dossiers import change_state
from applications.models import DossierState
from tests import factories
from tests.accelerator.impact.world import in_impact_measurement, indicator
from tests.accelerator.test_journey_transitions import make_accompaniment
from tests.applications.staff_support import submitted_dossier

FR_TITLE = "Erreur : "
HEADINGS = {1: "Il y a un problème"}


def french(user=None):
    """A client that reads the French interface, logged in as `user` when given."""
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    if user is not None:
        client.force_login(user)
    return client


def refused_page(response, count, *, status=200, kept=()):
    """Check the pattern on `response`; return the summary's (href, text) pairs."""
    assert response.status_code == status
    html = response.content.decode()
    soup = BeautifulSoup(html, "html.parser")
    assert soup.title.get_text().strip().startswith(FR_TITLE)
    summaries = soup.select("[data-error-summary]")
    assert len(summaries) == 1
    summary = summaries[0]
    assert summary.get("id") == "error-summary" and summary.get("tabindex") == "-1"
    # No live region: the focus (static/js/error-summary.js) reads it once.
    assert summary.get("role") is None and summary.get("aria-live") is None
    heading = summary.find(id=summary["aria-labelledby"])
    expected = HEADINGS.get(count, f"Il y a {count} problèmes")
    assert heading.get_text(strip=True) == expected
    lists = summary.find_all("ul")
    assert len(lists) == 1
    items = [child for child in lists[0].children if getattr(child, "name", None)]
    assert [child.name for child in items] == ["li"] * count
    assert not [text for text in lists[0].find_all(string=True, recursive=False) if text.strip()]
    links = []
    for item in items:
        link = item.find("a")
        if link is not None:
            target = link["href"]
            assert target.startswith("#")
            assert soup.find(id=target[1:]) is not None, f"{target} is nowhere on the page"
            links.append((target, link.get_text(strip=True)))
    # Every error and help text said to describe a field exists.
    for element in soup.select("[aria-describedby]"):
        for name in element["aria-describedby"].split():
            assert soup.find(id=name) is not None, f"aria-describedby {name} is nowhere"
    ids = [element["id"] for element in soup.select("[id]")]
    assert len(ids) == len(set(ids)), "an id is used twice"
    for value in kept:
        assert value in html
    return links


# --- the shared pieces ---------------------------------------------------------------------


class Choice(forms.Form):
    colour = forms.ChoiceField(
        label="Colour", choices=[("r", "Red"), ("g", "Green")], widget=forms.RadioSelect
    )
    secret = forms.CharField(widget=forms.HiddenInput)
    name = forms.CharField(label="Name")

    def clean(self):
        raise forms.ValidationError("Not today.")


def test_the_summary_lists_non_field_errors_fields_and_hidden_fields_in_order():
    form = Choice({"name": ""})
    items = summary_items(form, anchors={form: "choice-form"})
    assert items == [
        ("choice-form", "Not today."),
        ("id_colour_0", "Colour: This field is required."),
        (None, "Secret: This field is required."),
        ("id_name", "Name: This field is required."),
    ]


def test_a_formset_gives_its_own_errors_and_each_forms():
    Formset = forms.formset_factory(Choice, extra=0, min_num=2, validate_min=True)
    data = {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "0", "form-0-colour": "r"}
    data["form-0-secret"] = "s"
    data["form-0-name"] = "Ada"
    items = summary_items(Formset(data))
    assert items == [(None, "Please submit at least 2 forms."), (None, "Not today.")]


def test_the_title_says_error_only_after_a_refused_submit():
    assert error_title() == ""
    assert error_title(None, "") == ""
    assert error_title(Choice()) == ""
    assert error_title(Choice({"name": "x"})) == "Error: "
    assert error_title(items=[("x", "y")]) == "Error: "


def test_a_form_passed_twice_is_summed_up_once():
    form = Choice({"name": "Ada", "secret": "s"})
    assert len(summary_items(form, None, form)) == 2


def test_a_radio_group_is_a_fieldset_with_its_error_inside_and_tied_to_it():
    form = Choice({"name": "Ada", "secret": "s"})
    html = render_to_string("accelerator/includes/field.html", {"field": form["colour"]})
    fieldset = BeautifulSoup(html, "html.parser").fieldset
    assert fieldset.legend.get_text(strip=True).startswith("Colour")
    error = fieldset.find(id="id_colour_error")
    assert error is not None and "This field is required." in error.get_text()
    assert fieldset["aria-describedby"].split() == ["id_colour_error"]
    assert [radio["id"] for radio in fieldset.select("input[type=radio]")] == [
        "id_colour_0",
        "id_colour_1",
    ]


# --- the pages --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_login():
    response = french().post(
        reverse("account_login"), {"login": "personne@example.org", "password": ""}
    )
    links = refused_page(response, 1, kept=['value="personne@example.org"'])
    assert [href for href, _ in links] == ["#id_password"]


@pytest.mark.django_db
def test_signup():
    response = french().post(
        reverse("account_signup"),
        {"email": "lucie@example.org", "first_name": "Lucie", "language": "fr", "password1": ""},
    )
    links = refused_page(response, 3, kept=['value="lucie@example.org"', 'value="Lucie"'])
    assert [href for href, _ in links] == ["#id_last_name", "#id_password1", "#id_password2"]


@pytest.mark.django_db
def test_structure_members_invite(owner, structure):
    url = reverse("accelerator:invite", args=[structure.pk])
    response = french(owner).post(url, {"email": "pas-une-adresse", "role": "chef"})
    links = refused_page(response, 2, kept=['value="pas-une-adresse"'])
    assert [href for href, _ in links] == ["#id_email", "#id_role"]
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_obstacle_report(structure, owner):
    accompaniment = make_accompaniment(structure)
    url = reverse("accelerator:obstacle_report", args=[accompaniment.pk])
    response = french(owner).post(url, {"regulation": " ", "blocks": "", "proposed_change": "Oui"})
    links = refused_page(response, 2, kept=["Oui</textarea>"])
    assert [href for href, _ in links] == ["#id_regulation", "#id_blocks"]
    assert not RegulatoryObstacle.objects.exists()


@pytest.mark.django_db
def test_impact_plan_line():
    accompaniment = in_impact_measurement()
    url = reverse("accelerator:impact_plan_line", args=[accompaniment.pk])
    data = {
        "indicator": indicator("people-reached").pk,
        "baseline": "12,5",
        "baseline_on": "2026-01-01",
        "target": "douze cents",
        "target_on": "2027-01-01",
    }
    response = french(accompaniment.editor).post(url, data)
    links = refused_page(response, 2, kept=['value="12,5"', 'value="douze cents"'])
    assert [href for href, _ in links] == ["#id_add_baseline", "#id_add_target"]
    assert not PlannedIndicator.objects.exists()


@pytest.mark.django_db
def test_staff_dossier_transition(staff):
    dossier = submitted_dossier(factories.make_call())
    url = reverse(
        "applications:staff_transition", kwargs={"dossier_id": dossier.pk, "name": "request_info"}
    )
    data = {"request_info-comment": "Votre budget ?", "request_info-reply_by": "bientôt"}
    response = french(staff).post(url, data)
    links = refused_page(response, 1, kept=['value="bientôt"', "Votre budget ?</textarea>"])
    assert [href for href, _ in links] == ["#id_request_info-reply_by"]
    dossier.refresh_from_db()
    assert dossier.state == DossierState.SUBMITTED


@pytest.mark.django_db
def test_staff_dossier_transition_on_a_dossier_that_moved_keeps_the_text(staff):
    dossier = submitted_dossier(factories.make_call())
    change_state(dossier, "mark_eligible", staff, "")
    url = reverse(
        "applications:staff_transition",
        kwargs={"dossier_id": dossier.pk, "name": "mark_ineligible"},
    )
    response = french(staff).post(url, {"mark_ineligible-comment": "Hors territoire"})
    refused_page(response, 1, kept=["Hors territoire</textarea>"])


@pytest.mark.django_db
def test_notification_preferences():
    person = factories.StaffFactory()
    client = french(person)
    page = BeautifulSoup(client.get(reverse("workers:preferences")).content, "html.parser")
    names = sorted({radio["name"] for radio in page.select("input[type=radio]:not([disabled])")})
    assert len(names) >= 2
    # Every routine topic answered but the last one.
    data = dict.fromkeys(names[:-1], "digest")
    response = client.post(reverse("workers:preferences"), data)
    links = refused_page(response, 1)
    assert links[0][0] == f"#id_{names[-1]}_0"
    fieldset = BeautifulSoup(response.content, "html.parser").find(
        "fieldset", attrs={"aria-describedby": re.compile(f"id_{names[-1]}_error")}
    )
    assert fieldset is not None and fieldset.find(id=f"id_{names[-1]}_error") is not None


@pytest.mark.django_db
def test_jury_invitation_account_form(staff):
    call = factories.make_call()
    juror = jury_invitations.invite_juror(call, "nouveau@jury.example.org", "member", actor=staff)
    url = reverse("applications:jury_invitation", args=[juror.token])
    data = {"first_name": "Lucie", "last_name": "", "password1": "", "password2": ""}
    response = french().post(url, data)
    links = refused_page(response, 3, status=400, kept=['value="Lucie"'])
    assert [href for href, _ in links] == ["#id_last_name", "#id_password1", "#id_password2"]
