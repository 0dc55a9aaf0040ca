"""Correcting a validated report: a new version with its reason, the validated one frozen and
in force until the correction is validated, then superseded; the structure's latest figures and
their reading against the plan move to the corrected values; both versions listed on the page."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accelerator.domain.impact_reports import change_report_state, save_report, start_correction
from accelerator.domain.refusals import Refused
from accelerator.models import ImpactReport, ReportValue
from tests import factories
from tests.accelerator.impact.world import (
    agreed_plan,
    first_report,
    in_impact_measurement,
    indicator,
    validated,
)

pytestmark = pytest.mark.django_db
# Plan: 2 -> 6 FTE over 2026. Whatever the day of the period, the path expects between 2 and 6:
# 1 FTE is behind, 8 on track.
VALUES = {"jobs-fte": "1", "people-reached": "400"}
REASON = "Les ETP comptaient les stagiaires."


def values_of(report):
    return {v.indicator.code: v for v in ReportValue.objects.filter(report=report)}


def validated_report():
    accompaniment = in_impact_measurement()
    agreed_plan(accompaniment)
    return accompaniment, validated(first_report(accompaniment), accompaniment, VALUES)


def test_a_correction_is_a_new_version_with_its_reason_and_the_validated_one_stays_frozen():
    accompaniment, original = validated_report()
    correction = start_correction(original, accompaniment.editor, f"  {REASON} ")
    assert (correction.number, correction.version) == (original.number, 2)
    assert correction.state == "draft"
    assert correction.corrects_id == original.pk
    assert correction.correction_reason == REASON
    assert correction.narrative == original.narrative
    assert correction.transitions.get().comment == REASON
    copied = values_of(correction)
    assert {code: v.value for code, v in copied.items()} == {
        "jobs-fte": Decimal("1"),
        "people-reached": Decimal("400"),
    }
    # The correction is edited; the validated version is not touched, and stays in force.
    save_report(correction, accompaniment.editor, {indicator("jobs-fte"): ("8", False, "")})
    original.refresh_from_db()
    assert original.state == "validated" and original.superseded_at is None
    kept = values_of(original)
    assert kept["jobs-fte"].value == Decimal("1")
    assert all(value.is_latest for value in kept.values())
    assert not any(value.is_latest for value in values_of(correction).values())
    with pytest.raises(Refused):
        save_report(original, accompaniment.editor, {indicator("jobs-fte"): ("9", False, "")})


def test_validating_the_correction_supersedes_the_old_version_and_moves_the_latest_figures():
    accompaniment, original = validated_report()
    assert values_of(original)["jobs-fte"].on_track is False
    correction = start_correction(original, accompaniment.editor, REASON)
    correction = save_report(
        correction, accompaniment.editor, {indicator("jobs-fte"): ("8", False, "")}
    )
    correction = change_report_state(correction, "submit", accompaniment.editor)
    correction = change_report_state(correction, "validate", accompaniment.referent)
    original.refresh_from_db()
    assert original.superseded_at is not None
    assert original.state == "validated"  # frozen as it was validated
    old, new = values_of(original), values_of(correction)
    assert old["jobs-fte"].value == Decimal("1") and not old["jobs-fte"].is_latest
    assert new["jobs-fte"].value == Decimal("8") and new["jobs-fte"].is_latest
    assert new["people-reached"].is_latest and not old["people-reached"].is_latest
    # Read against the plan anew: the corrected figure is on track.
    assert new["jobs-fte"].on_track is True
    # The superseded version can no longer be corrected; nor a correction twice.
    with pytest.raises(Refused) as refused:
        start_correction(original, accompaniment.editor, REASON)
    assert refused.value.messages == ["Only the validated version in force can be corrected."]


def test_who_may_correct_and_when():
    accompaniment, original = validated_report()
    with pytest.raises(PermissionDenied):
        start_correction(original, accompaniment.referent, REASON)
    viewer = factories.MembershipFactory(structure=accompaniment.structure, role="viewer").user
    with pytest.raises(PermissionDenied):
        start_correction(original, viewer, REASON)
    with pytest.raises(Refused) as refused:
        start_correction(original, accompaniment.editor, "   ")
    assert refused.value.message_dict == {
        "reason": ["Say why the validated report needs a correction."]
    }
    start_correction(original, accompaniment.owner, REASON)
    with pytest.raises(Refused) as refused:
        start_correction(original, accompaniment.editor, REASON)
    assert refused.value.messages == ["A correction of this report is already under way."]
    due = ImpactReport.objects.get(accompaniment=accompaniment, number=2)
    with pytest.raises(Refused):
        start_correction(due, accompaniment.editor, REASON)
    assert ImpactReport.objects.filter(accompaniment=accompaniment, number=1).count() == 2


def test_the_pages_of_both_versions(client_for):
    accompaniment, original = validated_report()
    client = client_for(accompaniment.editor)
    correct_url = reverse("accelerator:impact_report_correct", kwargs={"pk": original.pk})
    page = reverse("accelerator:impact_report", kwargs={"pk": original.pk})
    assert 'name="correction-reason"' in client.get(page).content.decode()
    # A correction without a reason is refused in place.
    empty = client.post(correct_url, {"correction-reason": ""})
    assert empty.status_code == 200 and "<title>Error:" in empty.content.decode()
    assert (
        client_for(accompaniment.referent)
        .post(correct_url, {"correction-reason": REASON})
        .status_code
        == 403
    )
    response = client.post(correct_url, {"correction-reason": REASON})
    correction = ImpactReport.objects.get(corrects=original)
    new_page = reverse("accelerator:impact_report", kwargs={"pk": correction.pk})
    assert response.status_code == 302 and response["Location"] == new_page
    html = client.get(new_page).content.decode()
    assert "This version corrects" in html and REASON in html and f'href="{page}"' in html
    assert 'name="action" value="submit"' in html
    assert 'data-version="1"' in html and 'data-version="2"' in html
    html = client.get(page).content.decode()
    assert "A correction of this version is under way" in html and f'href="{new_page}"' in html
    assert 'name="correction-reason"' not in html
    # Validated, the correction replaces the old version, which says so and links to it.
    correction = change_report_state(correction, "submit", accompaniment.editor)
    change_report_state(correction, "validate", accompaniment.referent)
    html = client.get(page).content.decode()
    assert "its figures are no longer in force" in html and f'href="{new_page}"' in html
    assert "Replaced by a correction" in html
    # Nothing changes the old version: a save is refused with a message.
    response = client.post(page, {"action": "save", "narrative": "autre"})
    assert "it cannot be changed now" in response.content.decode()
    original.refresh_from_db()
    assert original.narrative != "autre"
