"""Suggested conflicts at a call's scale: the partners' names are stored per dossier
(`DossierPartnerName`) when its answers are saved or it is submitted, so the suggestions are
found by an index; a stored name appears and disappears with its cause, and the assignment
engine (`blocked_pairs`) follows it. The jury page shows the suggestions a page at a time."""

import pytest
from django.urls import reverse

from applications.domain.conflicts import blocked_pairs, suggested_conflicts, table_names
from applications.domain.dossiers import change_state
from applications.domain.drafting import save_answers
from applications.domain.jury_overview import SUGGESTIONS_PER_PAGE
from applications.models import DossierPartnerName
from tests import factories
from tests.applications.full_form import COMPLETE_ANSWERS, FULL_FORM
from tests.applications.jury.helpers import attach, make_juror
from tests.applications.staff_support import count_queries


@pytest.fixture
def call(db):
    return factories.make_call(form=FULL_FORM)


def _answers(*partners):
    return {
        **COMPLETE_ANSWERS,
        "q-partners": [
            {"name": name, "kind": "public_body", "siret": "", "role": "Soutien"}
            for name in partners
        ],
    }


def _submitted(call, *partners):
    """A submitted dossier listing `partners`, and its editor."""
    structure = factories.StructureFactory()
    editor = factories.UserFactory(email=f"editor@structure{structure.pk}.test")
    factories.MembershipFactory(structure=structure, user=editor, role="editor")
    dossier = factories.make_dossier(call=call, structure=structure, answers=_answers(*partners))
    attach(dossier, "budget.pdf")
    return change_state(dossier, "submit", editor), editor


def _names(dossier):
    return set(DossierPartnerName.objects.filter(dossier=dossier).values_list("name", flat=True))


def _pairs(call):
    return {(j.pk, d.pk) for j, d, _reason in suggested_conflicts(call)}


def test_table_names_read_every_table_of_the_answers_normalised():
    answers = {
        "q-partners": [{"name": "  Réseau Tiers-Lieux  du Cher "}, {"name": ""}, "loose text"],
        "q-former-table": [{"name": "Fondation Crédit Coopératif"}],
        "q-text": "Mairie de Bourges",
    }
    assert table_names(answers) == {"reseau tiers lieux du cher", "fondation credit cooperatif"}


def test_submission_stores_the_partners_names(call):
    dossier, _editor = _submitted(call, "Mairie de Bourges", "Fondation Crédit Coopératif")
    assert _names(dossier) == {"mairie de bourges", "fondation credit cooperatif"}


def test_a_suggestion_follows_the_answers_saved(call, staff):
    juror = make_juror(call, organisation="France Active")
    dossier, editor = _submitted(call, "Mairie")
    assert (juror.pk, dossier.pk) not in _pairs(call)

    # Asked for information, the applicant adds the juror's organisation as a partner...
    dossier = change_state(dossier, "request_info", staff, "Vos partenaires, svp.")
    dossier = save_answers(dossier, _answers("Mairie", "FRANCE ACTIVE"), editor, dossier.revision)
    assert (juror.pk, dossier.pk) in _pairs(call)
    assert (juror.pk, dossier.pk) in blocked_pairs(call)

    # ...then takes it out again: the suggestion, and the block, go with it.
    save_answers(dossier, _answers("Mairie"), editor, dossier.revision)
    assert _names(dossier) == {"mairie"}
    assert (juror.pk, dossier.pk) not in _pairs(call)
    assert (juror.pk, dossier.pk) not in blocked_pairs(call)


def test_a_suggestion_follows_the_jurors_organisation(call):
    dossier, _editor = _submitted(call, "Fondation Crédit Coopératif")
    juror = make_juror(call, organisation="France Active")
    assert (juror.pk, dossier.pk) not in blocked_pairs(call)
    juror.organisation = "fondation credit cooperatif"
    juror.save(update_fields=["organisation"])
    assert (juror.pk, dossier.pk) in blocked_pairs(call)


def test_a_draft_names_no_one_until_it_is_submitted(call):
    juror = make_juror(call, organisation="Mairie")
    structure = factories.StructureFactory()
    draft = factories.make_dossier(call=call, structure=structure, answers=_answers("Mairie"))
    assert (juror.pk, draft.pk) not in _pairs(call)


def test_the_jury_page_shows_the_suggestions_a_page_at_a_time(client, call, staff):
    juror = make_juror(call, organisation="Mairie")
    for _n in range(SUGGESTIONS_PER_PAGE + 1):
        _submitted(call, "Mairie")
    client.force_login(staff)
    url = reverse("applications:staff_jury", args=[call.pk])

    response = client.get(url)
    page = response.context["suggestions"]
    assert page.paginator.count == SUGGESTIONS_PER_PAGE + 1
    assert len(page.object_list) == SUGGESTIONS_PER_PAGE
    assert "suggestions=2" in response.content.decode()

    second = client.get(url, {"suggestions": 2}).context["suggestions"]
    assert [s["juror"].pk for s in second.object_list] == [juror.pk]


def test_the_jury_page_costs_the_same_queries_for_1_and_for_many_suggestions(client, call, staff):
    make_juror(call, organisation="Mairie")
    _submitted(call, "Mairie")
    client.force_login(staff)
    url = reverse("applications:staff_jury", args=[call.pk])
    client.get(url)
    _response, one = count_queries(lambda: client.get(url))

    for n in range(4):
        make_juror(call, organisation=f"Partenaire {n}")
        _submitted(call, "Mairie", f"Partenaire {n}")
    response, many = count_queries(lambda: client.get(url))
    assert response.context["suggestions"].paginator.count == 5 + 4
    assert many == one
