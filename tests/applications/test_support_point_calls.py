"""A call for points d'appui: its kind, appointing its selected candidates once their decision is
disclosed (idempotent, in bounded queries), the rights that follow through the real views, and
the staff page that offers the appointment instead of a cohort."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from accelerator.domain.refusals import Refused
from accelerator.domain.roles import SUPPORT_POINT, roles_of
from accelerator.models import Accompaniment, Cohort, SupportPoint
from applications.domain import letters
from applications.domain.support_point_calls import appoint_selected
from applications.models import Call, CallKind, DecisionLetter
from applications.templatetags.call_tags import call_eligibility
from tests import factories

APPOINT_BUTTON = "Appoint the selected candidates as points d'appui"


@pytest.fixture
def call(db):
    return factories.make_call(title="Appel à points d'appui", kind=CallKind.SUPPORT_POINTS)


def candidate(call, *, name=None, department=None, state="selected", owners=1, editors=0):
    """A structure with its people and its dossier for `call`, in `state`."""
    fields = {"name": name} if name else {}
    if department is not None:
        fields["department"] = department
    structure = factories.StructureFactory(**fields)
    for _ in range(owners):
        factories.MembershipFactory(structure=structure, role="owner")
    for _ in range(editors):
        factories.MembershipFactory(structure=structure, role="editor")
    return factories.make_dossier(call=call, structure=structure, state=state)


def owners_of(dossier):
    return {m.user for m in dossier.structure.memberships.filter(role="owner")}


def disclose(call, actor):
    """Write and release the call's decision letters, as staff do on the letters page."""
    letters.prepare_letters(call, actor)
    letters.release_letters(call, actor)


def page(call):
    return reverse("applications:staff_call_cohort", args=[call.pk])


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


# --- the kind


def test_the_kind_is_offered_to_the_call_editor():
    choices = dict(Call._meta.get_field("kind").choices)
    assert CallKind.SUPPORT_POINTS in choices
    assert CallKind.STRUCTURES in choices and CallKind.COALITIONS in choices


def test_the_public_page_says_who_may_apply(call):
    with translation.override("en"):
        sentences = call_eligibility(call)
    assert sentences[0].startswith("Open to organisations that want to become a point d'appui")
    html = Client().get(call.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "want to become a point d&#x27;appui of the programme" in html


def test_a_structures_call_says_nothing_of_points_d_appui(db):
    structures_call = factories.make_call()
    with translation.override("en"):
        assert not any(
            "point d'appui" in sentence for sentence in call_eligibility(structures_call)
        )


# --- appointing


def test_each_selected_structure_becomes_a_point_of_its_departement_with_its_owners(call, manager):
    loiret = candidate(call, name="Maison de l'ESS du Loiret", owners=2, editors=1)
    cher = candidate(
        call, name="Cher Solidaire", department=factories.department("18", "Cher"), owners=1
    )
    disclose(call, manager)

    appointments = appoint_selected(call, manager)

    assert [a.dossier for a in appointments] == [loiret, cher]
    for dossier, appointment in zip([loiret, cher], appointments, strict=True):
        point = SupportPoint.objects.get(structure=dossier.structure)
        assert appointment.support_point == point and appointment.created
        assert point.name == dossier.structure.name
        assert point.department == dossier.structure.department
        # Owners only: editors and viewers do not read other structures' data by default.
        assert set(point.members.all()) == owners_of(dossier)
        assert set(appointment.new_members) == owners_of(dossier)
    assert SupportPoint.objects.count() == 2


def test_appointing_again_changes_nothing_and_keeps_what_staff_edited(call, manager):
    dossier = candidate(call, owners=1)
    disclose(call, manager)
    appoint_selected(call, manager)
    point = SupportPoint.objects.get()
    point.name = "Point d'appui du Loiret"
    point.email = "contact@pa45.example.org"
    point.save()
    helper = factories.UserFactory()
    point.members.add(helper)

    again = appoint_selected(call, manager)

    assert [(a.created, a.new_members, a.changed) for a in again] == [(False, (), False)]
    point.refresh_from_db()
    assert SupportPoint.objects.get() == point
    assert (point.name, point.email) == ("Point d'appui du Loiret", "contact@pa45.example.org")
    assert set(point.members.all()) == owners_of(dossier) | {helper}

    # A new owner of the structure is added, and only they.
    newcomer = factories.MembershipFactory(structure=dossier.structure, role="owner").user
    [appointment] = appoint_selected(call, manager)
    assert appointment.new_members == (newcomer,) and not appointment.created
    assert point.members.count() == 3


def test_nobody_is_appointed_before_the_decision_is_disclosed(call, manager):
    dossier = candidate(call)

    with pytest.raises(Refused) as refusal:
        appoint_selected(call, manager)
    assert dossier.reference in refusal.value.messages[0]
    assert "release the decision letters first" in refusal.value.messages[0]

    # Letters written, released for later: still secret, still refused.
    letters.prepare_letters(call, manager)
    letters.release_letters(call, manager, timezone.now() + timedelta(days=2))
    with pytest.raises(Refused):
        appoint_selected(call, manager)
    assert not SupportPoint.objects.exists()
    owner = next(iter(owners_of(dossier)))
    assert SUPPORT_POINT not in {role.name for role in roles_of(owner)}


def test_a_refusal_names_a_few_references_and_counts_the_rest(call, manager):
    dossiers = [candidate(call) for _ in range(7)]
    with translation.override("en"), pytest.raises(Refused) as refusal:
        appoint_selected(call, manager)
    message = refusal.value.messages[0]
    assert all(d.reference in message for d in dossiers[:5])
    assert dossiers[5].reference not in message and "and 2 more" in message


def test_a_selection_after_a_released_waitlisting_waits_for_its_own_letter(call, manager):
    dossier = candidate(call, state="waitlisted")
    disclose(call, manager)
    assert DecisionLetter.objects.get().outcome == "waitlisted"
    type(dossier).objects.filter(pk=dossier.pk).update(state="selected")

    with pytest.raises(Refused):
        appoint_selected(call, manager)

    disclose(call, manager)
    assert appoint_selected(call, manager)[0].created


def test_dossiers_not_selected_are_never_appointed(call, manager):
    chosen = candidate(call)
    others = [candidate(call, state=state) for state in ("waitlisted", "rejected", "shortlisted")]
    others.append(candidate(call, state="submitted"))
    structures_call = factories.make_call()
    others.append(candidate(structures_call))
    disclose(call, manager)

    appointments = appoint_selected(call, manager)

    assert [a.dossier for a in appointments] == [chosen]
    assert list(SupportPoint.objects.values_list("structure", flat=True)) == [chosen.structure_id]


def test_only_a_call_for_points_d_appui_appoints(manager):
    structures_call = factories.make_call()
    candidate(structures_call)
    disclose(structures_call, manager)
    with pytest.raises(Refused):
        appoint_selected(structures_call, manager)
    assert not SupportPoint.objects.exists()


def test_a_call_with_nothing_selected_is_refused(call, manager):
    candidate(call, state="rejected")
    disclose(call, manager)
    with pytest.raises(Refused):
        appoint_selected(call, manager)


@pytest.mark.parametrize("who", ["staff", "referent", "manager_of_another_programme"])
def test_only_the_programme_managers_appoint(call, manager, who):
    candidate(call)
    disclose(call, manager)
    actor = factories.StaffFactory()
    if who == "referent":
        cohort = Cohort.objects.create(programme=call.programme, name="C", year=2026, capacity=5)
        cohort.referents.add(actor)
    elif who == "manager_of_another_programme":
        actor = factories.ManagerFactory(
            programme=factories.ProgrammeFactory(slug="autre", name="Autre")
        )
    with pytest.raises(PermissionDenied):
        appoint_selected(call, actor)
    assert not SupportPoint.objects.exists()


def test_superusers_appoint(call, manager):
    candidate(call)
    disclose(call, manager)
    superuser = factories.StaffFactory(is_superuser=True)
    assert appoint_selected(call, superuser)[0].created


def test_the_admin_shows_which_structure_a_point_was_appointed_from(call, manager):
    dossier = candidate(call, name="Maison de l'ESS du Loiret")
    disclose(call, manager)
    point = appoint_selected(call, manager)[0].support_point
    superuser = factories.StaffFactory(is_superuser=True)
    page = client_for(superuser).get(
        reverse("wagtailsnippets_accelerator_supportpoint:edit", args=[point.pk])
    )
    assert page.status_code == 200
    assert escape(dossier.structure.name) in page.content.decode()


# --- the rights that follow, through the real views


def test_an_appointed_owner_reaches_the_territory_and_sees_its_structures(call, manager):
    dossier = candidate(call)
    owner = next(iter(owners_of(dossier)))
    editor = factories.MembershipFactory(structure=dossier.structure, role="editor").user
    accompanied = factories.StructureFactory(name="Tiers-lieu de Montargis")
    cohort = Cohort.objects.create(
        programme=call.programme, name="Cohorte 2026", year=2026, capacity=15
    )
    Accompaniment.objects.create(cohort=cohort, structure=accompanied, source="call")
    territory = reverse("accelerator:territory")
    disclose(call, manager)

    # Before: an applicant like any other (the access matrix's owner_A row: 403).
    assert client_for(owner).get(territory).status_code == 403

    appoint_selected(call, manager)

    response = client_for(owner).get(territory)
    assert response.status_code == 200
    assert "Tiers-lieu de Montargis" in response.content.decode()
    assert SUPPORT_POINT in {role.name for role in roles_of(owner)}
    # The editor was not made a member: the territory stays closed to them.
    assert client_for(editor).get(territory).status_code == 403


# --- the staff page


def test_the_staff_page_offers_the_appointment_for_this_kind(call, manager):
    candidate(call, name="Maison de l'ESS du Loiret")
    html = client_for(manager).get(page(call)).content.decode()
    assert APPOINT_BUTTON in html
    assert 'name="cohort"' not in html
    assert "Maison de l&#x27;ESS du Loiret" in html
    assert "Not released yet" in html

    structures_call = factories.make_call()
    candidate(structures_call)
    html = client_for(manager).get(page(structures_call)).content.decode()
    assert 'name="cohort"' in html
    assert APPOINT_BUTTON not in html


def test_the_staff_page_refuses_before_the_letters_then_appoints(call, manager):
    dossier = candidate(call)
    client = client_for(manager)

    response = client.post(page(call))
    assert response.status_code == 200
    assert "release the decision letters first" in response.content.decode()
    assert response.context["form"].non_field_errors()
    assert not SupportPoint.objects.exists()

    disclose(call, manager)
    response = client.post(page(call), follow=True)
    assert response.redirect_chain == [(page(call), 302)]
    html = response.content.decode()
    assert "1 point d&#x27;appui appointed." in html
    assert "1 person now acts for a point d&#x27;appui" in html
    assert SupportPoint.objects.get().structure == dossier.structure

    html = client.post(page(call), follow=True).content.decode()
    assert "nothing changed" in html
    assert SupportPoint.objects.count() == 1


@pytest.mark.parametrize("who", ["staff", "referent"])
def test_the_staff_page_of_this_kind_is_for_the_programme_managers(call, manager, who):
    candidate(call)
    disclose(call, manager)
    actor = factories.StaffFactory()
    if who == "referent":
        cohort = Cohort.objects.create(programme=call.programme, name="C", year=2026, capacity=5)
        cohort.referents.add(actor)
    client = client_for(actor)
    assert client.get(page(call)).status_code == 403
    assert client.post(page(call)).status_code == 403
    assert not SupportPoint.objects.exists()


# --- queries


def _appointment_queries(call, manager, count):
    for _ in range(count):
        candidate(call, owners=2)
    disclose(call, manager)
    with CaptureQueriesContext(connection) as queries:
        appointments = appoint_selected(call, manager)
    assert len(appointments) == count
    assert SupportPoint.objects.count() == count
    return len(queries)


@pytest.mark.parametrize("count", [1, 10])
def test_the_appointment_takes_the_same_queries_for_1_and_10(
    call, manager, count, django_assert_max_num_queries
):
    for _ in range(count):
        candidate(call, owners=2)
    disclose(call, manager)
    manager = type(manager).objects.get(pk=manager.pk)
    with django_assert_max_num_queries(10):
        appoint_selected(call, manager)
    assert SupportPoint.objects.count() == count
    assert sum(point.members.count() for point in SupportPoint.objects.all()) == 2 * count


def test_the_appointment_queries_do_not_grow_with_the_candidates(db):
    manager = factories.ManagerFactory()
    one = factories.make_call(kind=CallKind.SUPPORT_POINTS)
    ten = factories.make_call(kind=CallKind.SUPPORT_POINTS)
    small = _appointment_queries(one, type(manager).objects.get(pk=manager.pk), 1)
    SupportPoint.objects.all().delete()
    large = _appointment_queries(ten, type(manager).objects.get(pk=manager.pk), 10)
    assert large == small


@pytest.mark.parametrize("count", [1, 10])
def test_the_staff_page_reads_in_constant_queries(
    call, manager, count, django_assert_max_num_queries
):
    for _ in range(count):
        candidate(call)
    disclose(call, manager)
    appoint_selected(call, manager)
    client = client_for(manager)
    client.get(page(call))
    with django_assert_max_num_queries(6):
        response = client.get(page(call))
    assert len(response.context["dossiers"]) == count
