"""The demo data: complete, valid, deterministic, and loaded only once however often it runs."""

from datetime import UTC, datetime
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import GroupPagePermission, Page, Revision, Site

from accelerator.identifiers import validate_siren_or_siret
from accelerator.models import Membership, Structure, SupportPoint, User
from applications.models import (
    Attachment,
    Call,
    CallPhase,
    Dossier,
    DossierState,
    DossierTransition,
    EvaluationCriterion,
)
from cms.demo import data
from cms.models import CallIndexPage, HomePage
from workers import outbox
from workers.models import OutboxMessage, OutboxStatus

CENTRE_VAL_DE_LOIRE = {"18", "28", "36", "37", "41", "45"}

COUNTED = [
    User,
    EmailAddress,
    Group,
    Structure,
    Membership,
    SupportPoint,
    Call,
    EvaluationCriterion,
    Dossier,
    DossierTransition,
    Attachment,
    Page,
    Revision,
    Site,
    GroupPagePermission,
    OutboxMessage,
]


def counts():
    return {model._meta.label: model.objects.count() for model in COUNTED}


def load(*options):
    out = StringIO()
    call_command("load_demo", *options, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_a_second_run_creates_and_changes_nothing():
    assert load("--quiet") == ""
    first = counts()
    states = dict(Dossier.objects.values_list("reference", "state"))
    home_revision = HomePage.objects.get().latest_revision_id

    output = load("--logins-only")

    assert counts() == first
    assert dict(Dossier.objects.values_list("reference", "state")) == states
    assert HomePage.objects.get().latest_revision_id == home_revision
    # Only the logins are printed, in both languages.
    assert "Demo data ready" not in output
    assert "Se connecter en tant que" in output and "Log in as" in output
    assert "applicant@essor.demo" in output and data.PASSWORD in output


@pytest.mark.django_db
def test_the_demo_fills_every_role_place_and_state(mailoutbox):
    output = load()
    assert "Demo data ready" in output and "staff@essor.demo" in output

    structures = Structure.objects.select_related("department")
    assert structures.count() >= 40
    assert {s.department.code for s in structures} == CENTRE_VAL_DE_LOIRE
    assert len({s.legal_form for s in structures}) >= 5
    for structure in structures:
        validate_siren_or_siret(structure.siret)
        assert structure.postcode[:2] == structure.department.code
        assert (structure.legal_form == "association") == bool(structure.rna)

    phases = {call.slug: call.phase() for call in Call.objects.live()}
    assert sorted(phases.values()) == sorted([CallPhase.OPEN, CallPhase.UPCOMING, CallPhase.CLOSED])
    open_call = Call.objects.get(slug="innovations-sociales")
    assert open_call.criteria.count() == 5
    assert open_call.criteria.filter(allow_not_applicable=True).count() == 1
    block_types = {block["type"] for block in open_call.form.raw_data}
    assert block_types == {
        "section", "short_text", "long_text", "number", "money", "date", "yes_no",
        "single_choice", "multiple_choice", "file", "partners",
    }  # fmt: skip

    assert set(Dossier.objects.values_list("state", flat=True)) == set(DossierState.values)
    assert {d.call.phase() for d in Dossier.objects.select_related("call")} == {
        CallPhase.OPEN,
        CallPhase.CLOSED,
    }
    closed_call = Call.objects.get(slug="acceleration")
    for dossier in closed_call.dossiers.exclude(submitted_at=None):
        assert dossier.submitted_at < closed_call.closes_at
    # Every state was reached through logged transitions, never by assignment.
    for dossier in Dossier.objects.exclude(state=DossierState.DRAFT):
        assert dossier.transitions.order_by("at", "pk").last().target == dossier.state

    jurors = Group.objects.get(name=data.JURY_GROUP).user_set.all()
    assert sorted(j.email for j in jurors) == sorted(j.email for j in data.JURORS)
    points = SupportPoint.objects.select_related("department")
    assert sorted(p.department.code for p in points) == sorted(CENTRE_VAL_DE_LOIRE)
    assert all(p.members.exists() for p in points)
    assert User.objects.get(email="staff@essor.demo").is_staff
    assert User.objects.get(email="admin@essor.demo").is_superuser
    # The transitions' notifications are recorded as sent: a worker finds nothing to deliver.
    assert OutboxMessage.objects.filter(status=OutboxStatus.SENT).exists()
    assert not OutboxMessage.objects.exclude(status=OutboxStatus.SENT).exists()
    assert outbox.flush() == 0
    assert mailoutbox == []


@pytest.mark.django_db
def test_the_site_answers_on_the_local_address_and_the_applicant_logs_in(client):
    load("--quiet")

    site = Site.objects.get(is_default_site=True)
    assert site.root_page.specific_class is HomePage
    assert not Page.objects.filter(depth=2, slug="home").exists()  # Wagtail's welcome page
    index = CallIndexPage.objects.get()
    assert index.url_path.endswith("/appels/")

    home = client.get("/", HTTP_HOST="127.0.0.1:8000")
    calls = client.get("/appels/", HTTP_HOST="127.0.0.1:8000")
    assert home.status_code == 200 and calls.status_code == 200

    assert client.login(email=data.APPLICANT.email, password=data.PASSWORD)
    applicant = User.objects.get(email=data.APPLICANT.email)
    draft = Dossier.objects.get(
        structure__memberships__user=applicant, call__slug="innovations-sociales"
    )
    assert draft.state == DossierState.DRAFT
    open_call = client.get("/appels/innovations-sociales/", HTTP_HOST="127.0.0.1:8000")
    assert open_call.status_code == 200


@pytest.mark.django_db
def test_programme_staff_edit_calls_in_the_wagtail_admin(client):
    load("--quiet")
    staff = User.objects.get(email=data.STAFF.email)
    open_call = Call.objects.get(slug="innovations-sociales")
    client.force_login(staff)

    assert client.get("/admin/").status_code == 200
    assert client.get(f"/admin/pages/{open_call.pk}/edit/").status_code == 200
    # The home page is not theirs to edit: their group's rights start at the calls index.
    home = HomePage.objects.get()
    assert client.get(f"/admin/pages/{home.pk}/edit/").status_code in (302, 403)


def test_the_plan_is_the_same_for_the_same_day():
    now = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
    first, second = data.build_plan(now), data.build_plan(now)
    assert [s.siret for s in first.structures] == [s.siret for s in second.structures]
    assert [d.answers for d in first.dossiers] == [d.answers for d in second.dossiers]
    assert len({s.siret for s in first.structures}) == len(first.structures)
