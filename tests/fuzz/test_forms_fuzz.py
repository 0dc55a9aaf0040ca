"""Random input to every form and JSON endpoint (issue 8, point 10): no server error, and a
refusal stores nothing. Each test reads the forms from the page a real user sees."""

import pytest
from django.test import Client
from django.urls import reverse

from accelerator.models import Accompaniment
from tests import factories
from tests.accelerator.test_journey_transitions import S, make_accompaniment
from tests.applications.full_form import FULL_FORM
from tests.applications.jury.helpers import assign, make_juror
from tests.applications.jury.test_reviews_support import Scene
from tests.applications.staff_support import submitted_dossier
from tests.fuzz.forms import fuzz_page

pytestmark = pytest.mark.django_db


def _client(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_sign_up():
    assert fuzz_page(_client(), reverse("account_signup"))


def test_log_in_and_password_reset():
    factories.UserFactory(email="someone@example.org")
    assert fuzz_page(_client(), reverse("account_login"))
    assert fuzz_page(_client(), reverse("account_reset_password"))


def test_structure_registration_and_edit(owner, structure):
    assert fuzz_page(_client(factories.UserFactory()), reverse("accelerator:structure_create"))
    assert fuzz_page(_client(owner), reverse("accelerator:structure_edit", args=[structure.pk]))


def test_members_invitations_and_join_requests(owner, editor, structure):
    assert fuzz_page(_client(owner), reverse("accelerator:members", args=[structure.pk]))
    newcomer = _client(factories.UserFactory())
    assert fuzz_page(newcomer, reverse("accelerator:join_request", args=[structure.siret]))


def test_dossier_save_and_autosave(owner, structure):
    call = factories.make_call(form=FULL_FORM)
    dossier = factories.make_dossier(call=call, structure=structure, created_by=owner)
    page = reverse("applications:dossier", args=[dossier.pk])
    autosave = reverse("applications:autosave", args=[dossier.pk])
    assert fuzz_page(_client(owner), page, extra_post_urls=[autosave])


def test_review_and_conflict_declaration(staff):
    scene = Scene(staff)
    assert fuzz_page(_client(scene.user), reverse("applications:review", args=[scene.dossier.pk]))
    juror = make_juror(scene.call)
    assign(juror, scene.dossier)
    declare = reverse("applications:juror_declare", args=[scene.dossier.pk])
    assert fuzz_page(_client(juror.user), declare)


def test_staff_dossier_actions(staff):
    call = factories.make_call()
    dossier = submitted_dossier(call)
    assert fuzz_page(_client(staff), reverse("applications:staff_dossier", args=[dossier.pk]))


@pytest.mark.parametrize("stage", [S.LABELLING, S.SEED_FUNDING, S.FUNDRAISING])
def test_journey_records_milestones_notes_and_obstacles(stage):
    accompaniment = make_accompaniment(stage=stage)
    superuser = factories.UserFactory(is_staff=True, is_superuser=True)
    page = reverse("accelerator:accompaniment", args=[accompaniment.pk])
    assert fuzz_page(_client(superuser), page)
    assert Accompaniment.objects.filter(pk=accompaniment.pk).exists()


def test_obstacle_report_by_the_structure():
    accompaniment = make_accompaniment(stage=S.LABELLING)
    member = factories.MembershipFactory(structure=accompaniment.structure, role="owner").user
    journey = reverse("accelerator:structure_journey", args=[accompaniment.structure.pk])
    assert fuzz_page(_client(member), journey)
