"""Conflicts Essor suggests to staff: membership, shared e-mail domain (public webmail aside),
organisation listed as a partner; `blocked_pairs` joins them to the declared conflicts."""

import pytest
from django.urls import reverse

from applications.domain.conflicts import (
    SuggestionReason,
    blocked_pairs,
    is_public_domain,
    record_conflict,
    suggested_conflicts,
)
from tests import factories
from tests.applications.full_form import COMPLETE_ANSWERS, FULL_FORM
from tests.applications.jury.helpers import declare, make_juror
from tests.applications.staff_support import count_queries


@pytest.fixture
def call(db):
    return factories.make_call(form=FULL_FORM)


def _dossier(call, staff, members=(), partners=()):
    """An eligible dossier whose structure has `members` (e-mails) and lists `partners`."""
    from tests.applications.jury.helpers import attach

    structure = factories.StructureFactory()
    for email in members:
        factories.MembershipFactory(
            structure=structure, user=factories.UserFactory(email=email), role="viewer"
        )
    answers = {
        **COMPLETE_ANSWERS,
        "q-partners": [
            {"name": name, "kind": "public_body", "siret": "", "role": "Soutien"}
            for name in partners or ["Mairie"]
        ],
    }
    dossier = factories.make_dossier(call=call, structure=structure, answers=answers)
    attach(dossier, "budget.pdf")
    from applications.domain.dossiers import change_state

    # The editor's own domain, so that it matches no juror made by the factories.
    editor = factories.UserFactory(email=f"editor@structure{structure.pk}.test")
    factories.MembershipFactory(structure=structure, user=editor, role="editor")
    change_state(dossier, "submit", editor)
    return change_state(dossier, "mark_eligible", staff)


def _pairs(call):
    return {(j.pk, d.pk, r) for j, d, r in suggested_conflicts(call)}


def test_a_juror_who_is_a_member_of_the_structure(call, staff):
    dossier = _dossier(call, staff, members=["camille@gmail.com"])
    member = dossier.structure.memberships.get(user__email="camille@gmail.com").user
    juror = make_juror(call, user=member)
    stranger = make_juror(call)
    pairs = _pairs(call)
    assert (juror.pk, dossier.pk, SuggestionReason.MEMBER) in pairs
    assert not any(p[0] == stranger.pk for p in pairs)


def test_a_juror_sharing_a_members_e_mail_domain(call, staff):
    dossier = _dossier(call, staff, members=["direction@atelier-soleil.fr"])
    invited = make_juror(call, accepted=False, email="benevole@atelier-soleil.fr")
    by_account = make_juror(
        call, user=factories.UserFactory(email="tresorier@Atelier-Soleil.fr"), email="t@jury.org"
    )
    pairs = _pairs(call)
    assert (invited.pk, dossier.pk, SuggestionReason.EMAIL_DOMAIN) in pairs
    assert (by_account.pk, dossier.pk, SuggestionReason.EMAIL_DOMAIN) in pairs


@pytest.mark.parametrize(
    "domain",
    ["gmail.com", "orange.fr", "free.fr", "wanadoo.fr", "laposte.net", "hotmail.fr",
     "hotmail.com", "outlook.fr", "yahoo.fr", "sfr.fr", "icloud.com", "protonmail.com"],
)  # fmt: skip
def test_public_webmail_domains_are_ignored(call, staff, domain):
    assert is_public_domain(domain)
    _dossier(call, staff, members=[f"presidente@{domain}"])
    make_juror(call, accepted=False, email=f"juror@{domain}")
    assert suggested_conflicts(call) == []


def test_a_juror_whose_organisation_is_a_listed_partner(call, staff):
    dossier = _dossier(call, staff, partners=["Fondation  Crédit-Coopératif", "Mairie"])
    juror = make_juror(call, organisation="fondation credit coopératif")
    by_profile = make_juror(call, user=factories.UserFactory(organisation="MAIRIE"))
    unrelated = make_juror(call, organisation="France Active")
    pairs = _pairs(call)
    assert (juror.pk, dossier.pk, SuggestionReason.PARTNER) in pairs
    assert (by_profile.pk, dossier.pk, SuggestionReason.PARTNER) in pairs
    assert not any(p[0] == unrelated.pk for p in pairs)


def test_blocked_pairs_join_declared_conflicts_and_suggestions(call, staff):
    suggested = _dossier(call, staff, members=["a@atelier-soleil.fr"])
    declared = _dossier(call, staff)
    cleared = _dossier(call, staff)
    juror = make_juror(call, accepted=False, email="b@atelier-soleil.fr")
    declare(juror, declared, "financial")
    declare(juror, cleared, "none")
    assert blocked_pairs(call) == {(juror.pk, suggested.pk), (juror.pk, declared.pk)}


def test_staff_dismiss_a_suggestion_by_recording_no_conflict(client, call, staff):
    dossier = _dossier(call, staff, members=["a@atelier-soleil.fr"])
    juror = make_juror(call, email="b@atelier-soleil.fr")
    # The juror's own "no conflict" does not hide the suggestion from staff...
    declare(juror, dossier, "none")
    assert (juror.pk, dossier.pk) in blocked_pairs(call)
    client.force_login(staff)
    page = client.get(reverse("applications:staff_jury", args=[call.pk])).content.decode()
    assert "Record as conflict" in page and "e-mail domain is a member" in page
    # ...staff decide.
    record_conflict(juror, dossier, "none", "", staff)
    assert blocked_pairs(call) == set()
    page = client.get(reverse("applications:staff_jury", args=[call.pk])).content.decode()
    assert "No likely conflict found." in page


def test_the_suggestion_button_records_the_conflict(client, call, staff):
    from applications.models import ConflictDeclaration

    dossier = _dossier(call, staff, partners=["France Active"])
    juror = make_juror(call, organisation="France Active")
    client.force_login(staff)
    response = client.post(
        reverse("applications:staff_record_conflict", args=[call.pk]),
        {
            "record-juror": juror.pk,
            "record-dossier": dossier.pk,
            "record-kind": "partner",
            "record-details": "The juror's organisation is a listed partner",
        },
    )
    assert response.status_code == 302
    declaration = ConflictDeclaration.objects.get(juror=juror, dossier=dossier)
    assert (declaration.kind, declaration.declared_by) == ("partner", staff)


def test_suggestions_cost_the_same_queries_for_1_and_for_many(call, staff):
    _dossier(call, staff, members=["a@atelier-soleil.fr"], partners=["France Active"])
    make_juror(call, email="b@atelier-soleil.fr", organisation="France Active")
    _result, one = count_queries(lambda: suggested_conflicts(call))
    for n in range(6):
        _dossier(call, staff, members=[f"m{n}@structure{n}.fr"], partners=[f"Partenaire {n}"])
        make_juror(call, organisation=f"Partenaire {n}")
        make_juror(call, accepted=False, email=f"x{n}@structure{n}.fr")
    suggestions, many = count_queries(lambda: suggested_conflicts(call))
    assert len(suggestions) == 1 + 6 * 2 + 1  # the first pair has two reasons
    assert many == one
    _result, blocked = count_queries(lambda: blocked_pairs(call))
    assert blocked == one + 1
