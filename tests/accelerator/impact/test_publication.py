"""Publication consent: only validated figures in force can be made public, only by the
structure's editors; `public_figures` returns those and nothing else, never a corrected
version's figure; the page shows the choice and saves it."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accelerator.domain.impact_publication import public_figures, publishable, set_publication
from accelerator.domain.impact_reports import start_correction
from accelerator.domain.refusals import Refused
from accelerator.models import ImpactReport, ReportValue
from tests import factories
from tests.accelerator.impact.world import (
    agreed_plan,
    first_report,
    in_impact_measurement,
    submitted,
    validated,
)

pytestmark = pytest.mark.django_db

VALUES = {"jobs-fte": "4", "people-reached": "150"}


@pytest.fixture
def accompaniment():
    accompaniment = in_impact_measurement()
    agreed_plan(accompaniment)
    return accompaniment


@pytest.fixture
def reports(accompaniment):
    """The first report validated, the second submitted (not validated yet)."""
    first, second, _ = ImpactReport.objects.filter(accompaniment=accompaniment).order_by("number")
    return (
        validated(first, accompaniment, VALUES),
        submitted(second, accompaniment, {"jobs-fte": "5", "people-reached": "180"}),
    )


def values_of(report):
    return {value.indicator.code: value for value in report.values.select_related("indicator")}


def test_only_validated_figures_in_force_can_be_made_public(accompaniment, reports):
    first, second = reports
    assert {value.report_id for value in publishable(accompaniment)} == {first.pk}
    pending = values_of(second)["jobs-fte"]
    with pytest.raises(Refused):
        set_publication(accompaniment, accompaniment.editor, [pending.pk])
    assert not ReportValue.objects.filter(public=True).exists()
    # Another structure's figure is refused too.
    other = in_impact_measurement(cohort=accompaniment.cohort, referent=accompaniment.referent)
    agreed_plan(other)
    foreign = values_of(validated(first_report(other), other, VALUES))["jobs-fte"]
    with pytest.raises(Refused):
        set_publication(accompaniment, accompaniment.editor, [foreign.pk])
    assert not ReportValue.objects.filter(public=True).exists()


def test_public_figures_are_the_validated_current_consented_ones(accompaniment, reports):
    first, second = reports
    jobs = values_of(first)["jobs-fte"]
    changed = set_publication(accompaniment, accompaniment.editor, [jobs.pk])
    assert [value.pk for value in changed] == [jobs.pk]
    jobs.refresh_from_db()
    assert jobs.public and jobs.public_changed_by == accompaniment.editor
    assert jobs.public_changed_at is not None
    # A figure flagged public outside the consent (a submitted report) never leaves.
    ReportValue.objects.filter(report=second).update(public=True)
    assert list(public_figures()) == [jobs]
    assert list(public_figures(accompaniment.structure)) == [jobs]
    assert list(public_figures(factories.StructureFactory())) == []
    # Unticked, it is no longer public, and who changed it is recorded.
    set_publication(accompaniment, accompaniment.owner, [])
    jobs.refresh_from_db()
    assert not jobs.public and jobs.public_changed_by == accompaniment.owner
    assert list(public_figures()) == []


def test_a_superseded_version_figure_is_never_public(accompaniment, reports):
    first, _ = reports
    old = values_of(first)["jobs-fte"]
    set_publication(accompaniment, accompaniment.editor, [old.pk])
    correction = start_correction(first, accompaniment.editor, "Une erreur de saisie")
    # While the correction is under way, the validated version is still in force.
    assert list(public_figures()) == [old]
    correction = validated(correction, accompaniment, {"jobs-fte": "4,5", "people-reached": "150"})
    new = values_of(correction)["jobs-fte"]
    # The consent followed the correction; the corrected version's figure is gone for good.
    assert list(public_figures()) == [new]
    assert ReportValue.objects.get(pk=old.pk).public
    with pytest.raises(Refused):
        set_publication(accompaniment, accompaniment.editor, [old.pk, new.pk])
    assert list(public_figures()) == [new]


@pytest.mark.parametrize("who", ["viewer", "referent", "staff", "support_point"])
def test_only_the_structure_editors_choose(accompaniment, reports, who):
    user = {
        "viewer": lambda: (
            factories.MembershipFactory(structure=accompaniment.structure, role="viewer").user
        ),
        "referent": lambda: accompaniment.referent,
        "staff": factories.StaffFactory,
        "support_point": _support_point(accompaniment),
    }[who]()
    jobs = values_of(reports[0])["jobs-fte"]
    with pytest.raises(PermissionDenied):
        set_publication(accompaniment, user, [jobs.pk])
    assert not ReportValue.objects.filter(public=True).exists()


def _support_point(accompaniment):
    def make():
        user = factories.UserFactory()
        point = factories.SupportPointFactory(department=accompaniment.structure.department)
        point.members.add(user)
        return user

    return make


# --- the page


def page(accompaniment):
    return reverse("accelerator:impact_publication", kwargs={"pk": accompaniment.pk})


@pytest.mark.parametrize(
    ("who", "get", "post"),
    [
        ("anonymous", "login", "login"),
        ("outsider", 404, 404),
        ("viewer", 200, 403),
        ("support_point", 200, 403),
        ("referent", 200, 403),
        ("editor", 200, 302),
    ],
)
def test_who_reads_and_who_changes_the_choice(accompaniment, reports, client_for, who, get, post):
    user = {
        "anonymous": lambda: None,
        "outsider": lambda: factories.MembershipFactory().user,
        "viewer": lambda: (
            factories.MembershipFactory(structure=accompaniment.structure, role="viewer").user
        ),
        "support_point": _support_point(accompaniment),
        "referent": lambda: accompaniment.referent,
        "editor": lambda: accompaniment.editor,
    }[who]()
    client = client_for(user)
    jobs = values_of(reports[0])["jobs-fte"]
    response = client.get(page(accompaniment))
    if get == "login":
        assert response.status_code == 302 and "login" in response["Location"]
    else:
        assert response.status_code == get
    if get == 200:
        html = response.content.decode()
        assert f'data-figure="{jobs.pk}"' in html
        # The submitted report's figures are not offered.
        pending = values_of(reports[1])["jobs-fte"]
        assert f'data-figure="{pending.pk}"' not in html
        assert ('name="public"' in html) is (who == "editor")
    response = client.post(page(accompaniment), {"public": [jobs.pk]})
    assert response.status_code == (302 if post == "login" else post)
    jobs.refresh_from_db()
    assert jobs.public is (who == "editor")


def test_a_figure_not_offered_is_refused_on_the_page(accompaniment, reports, client_for):
    client = client_for(accompaniment.editor)
    pending = values_of(reports[1])["jobs-fte"]
    response = client.post(page(accompaniment), {"public": [pending.pk]})
    assert response.status_code == 200
    html = response.content.decode()
    assert "error-summary" in html
    assert not ReportValue.objects.filter(public=True).exists()
