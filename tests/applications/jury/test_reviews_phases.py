"""Review phases: the staff page (create, change, delete, overlaps refused, Paris time), the
active phase and who may review in it."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from applications.domain.review_phases import active_phase, review_is_open, save_phase
from applications.models import ReviewPhase
from tests.applications.jury.test_reviews_support import make_juror, open_phase, reviewed_call

PARIS = ZoneInfo("Europe/Paris")
UTC = ZoneInfo("UTC")


def _url(call):
    return reverse("applications:staff_review_phases", kwargs={"call_id": call.pk})


def _post(**overrides):
    data = {
        "new-name": "Première lecture",
        "new-starts_at": "2027-03-01T09:00",
        "new-ends_at": "2027-03-15T18:00",
        "new-peer_scores": "after_own",
        "new-blind": "on",
    }
    data.update(overrides)
    return data


def _phase(call, name, start, end, **fields):
    return ReviewPhase.objects.create(
        call=call,
        name=name,
        starts_at=datetime.fromisoformat(start).replace(tzinfo=PARIS),
        ends_at=datetime.fromisoformat(end).replace(tzinfo=PARIS),
        **fields,
    )


def test_staff_create_a_phase_typed_in_paris_time(client, staff):
    call = reviewed_call()
    client.force_login(staff)
    response = client.post(_url(call), _post())
    assert response.status_code == 302
    phase = ReviewPhase.objects.get(call=call)
    assert phase.name == "Première lecture"
    # 09:00 in Paris in March (winter time, UTC+1) is 08:00 UTC.
    assert phase.starts_at == datetime(2027, 3, 1, 8, 0, tzinfo=UTC)
    assert phase.ends_at == datetime(2027, 3, 15, 17, 0, tzinfo=UTC)
    assert phase.peer_scores == "after_own"
    assert phase.blind is True
    assert phase.presidents_only is False
    page = client.get(_url(call)).content.decode()
    assert "Première lecture" in page
    assert "1 March 2027 at 09:00 (Paris time)" in page
    assert "15 March 2027 at 18:00 (Paris time)" in page


def test_overlapping_phase_is_refused_with_a_clear_message_and_typed_values_kept(client, staff):
    call = reviewed_call()
    _phase(call, "Première lecture", "2027-03-01T09:00", "2027-03-15T18:00")
    client.force_login(staff)
    response = client.post(
        _url(call),
        _post(
            **{
                "new-name": "Seconde lecture",
                "new-starts_at": "2027-03-15T12:00",
                "new-ends_at": "2027-03-30T18:00",
            }
        ),
    )
    assert response.status_code == 200
    assert ReviewPhase.objects.filter(call=call).count() == 1
    page = response.content.decode()
    assert "These dates overlap the phase “Première lecture”" in page
    assert "15 March 2027 at 18:00 (Paris time)" in page
    # What was typed is still in the form.
    assert 'value="Seconde lecture"' in page
    assert 'value="2027-03-15T12:00"' in page
    assert 'value="2027-03-30T18:00"' in page


def test_a_phase_may_start_when_the_previous_one_ends(client, staff):
    call = reviewed_call()
    _phase(call, "Première lecture", "2027-03-01T09:00", "2027-03-15T18:00")
    client.force_login(staff)
    response = client.post(
        _url(call),
        _post(
            **{
                "new-name": "Seconde lecture",
                "new-starts_at": "2027-03-15T18:00",
                "new-ends_at": "2027-03-30T18:00",
            }
        ),
    )
    assert response.status_code == 302
    assert ReviewPhase.objects.filter(call=call).count() == 2


def test_a_phase_of_another_call_never_overlaps(staff):
    call, other = reviewed_call(), reviewed_call()
    _phase(other, "Autre appel", "2027-03-01T09:00", "2027-03-15T18:00")
    phase = save_phase(
        call,
        {
            "name": "Lecture",
            "starts_at": datetime(2027, 3, 2, tzinfo=PARIS),
            "ends_at": datetime(2027, 3, 10, tzinfo=PARIS),
            "presidents_only": False,
            "peer_scores": "never",
            "blind": False,
        },
        staff,
    )
    assert phase.pk


def test_a_phase_must_end_after_it_starts(client, staff):
    call = reviewed_call()
    client.force_login(staff)
    response = client.post(
        _url(call),
        _post(**{"new-starts_at": "2027-03-15T18:00", "new-ends_at": "2027-03-01T09:00"}),
    )
    assert response.status_code == 200
    assert "A phase must end after it starts." in response.content.decode()
    assert not ReviewPhase.objects.exists()


def test_staff_change_a_phase(client, staff):
    call = reviewed_call()
    phase = _phase(call, "Première lecture", "2027-03-01T09:00", "2027-03-15T18:00")
    client.force_login(staff)
    url = reverse(
        "applications:staff_review_phase", kwargs={"call_id": call.pk, "phase_id": phase.pk}
    )
    page = client.get(url).content.decode()
    # Shown in Paris time in the form.
    assert 'value="2027-03-01T09:00"' in page
    response = client.post(
        url,
        {
            "name": "Lecture des présidents",
            "starts_at": "2027-07-01T09:00",
            "ends_at": "2027-07-10T18:00",
            "presidents_only": "on",
            "peer_scores": "always",
        },
    )
    assert response.status_code == 302
    phase.refresh_from_db()
    assert phase.name == "Lecture des présidents"
    # Summer time: 09:00 in Paris is 07:00 UTC.
    assert phase.starts_at == datetime(2027, 7, 1, 7, 0, tzinfo=UTC)
    assert phase.presidents_only is True
    assert phase.peer_scores == "always"
    assert phase.blind is False


def test_changing_a_phase_into_an_overlap_is_refused_and_changes_nothing(client, staff):
    call = reviewed_call()
    first = _phase(call, "Première lecture", "2027-03-01T09:00", "2027-03-15T18:00")
    second = _phase(call, "Seconde lecture", "2027-03-20T09:00", "2027-03-30T18:00")
    client.force_login(staff)
    url = reverse(
        "applications:staff_review_phase", kwargs={"call_id": call.pk, "phase_id": second.pk}
    )
    response = client.post(
        url,
        {
            "name": "Seconde lecture",
            "starts_at": "2027-03-10T09:00",
            "ends_at": "2027-03-30T18:00",
            "peer_scores": "never",
        },
    )
    assert response.status_code == 200
    assert "These dates overlap the phase “Première lecture”" in response.content.decode()
    assert 'value="2027-03-10T09:00"' in response.content.decode()
    second.refresh_from_db()
    assert second.starts_at == datetime(2027, 3, 20, 8, 0, tzinfo=UTC)
    # A phase does not overlap itself: changing only its name is fine.
    response = client.post(
        url,
        {
            "name": "Lecture finale",
            "starts_at": "2027-03-20T09:00",
            "ends_at": "2027-03-30T18:00",
            "peer_scores": "never",
        },
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.name == "Lecture finale"
    assert first.pk != second.pk


def test_staff_delete_a_phase_after_confirming(client, staff):
    call = reviewed_call()
    phase = _phase(call, "Première lecture", "2027-03-01T09:00", "2027-03-15T18:00")
    client.force_login(staff)
    url = reverse(
        "applications:staff_review_phase_delete",
        kwargs={"call_id": call.pk, "phase_id": phase.pk},
    )
    page = client.get(url)
    assert page.status_code == 200
    assert "Delete the phase “Première lecture”?" in page.content.decode()
    assert ReviewPhase.objects.filter(pk=phase.pk).exists()
    response = client.post(url)
    assert response.status_code == 302
    assert not ReviewPhase.objects.filter(pk=phase.pk).exists()


def test_a_phase_is_reached_only_through_its_own_call(client, staff):
    call, other = reviewed_call(), reviewed_call()
    phase = _phase(call, "Première lecture", "2027-03-01T09:00", "2027-03-15T18:00")
    client.force_login(staff)
    for name in ("staff_review_phase", "staff_review_phase_delete"):
        url = reverse(f"applications:{name}", kwargs={"call_id": other.pk, "phase_id": phase.pk})
        assert client.post(url, {"name": "x"}).status_code == 404
    assert ReviewPhase.objects.filter(pk=phase.pk, name="Première lecture").exists()


def test_only_staff_may_save_a_phase_through_the_domain(staff):
    call = reviewed_call()
    juror = make_juror(call)
    values = {
        "name": "Lecture",
        "starts_at": datetime(2027, 3, 2, tzinfo=PARIS),
        "ends_at": datetime(2027, 3, 10, tzinfo=PARIS),
        "presidents_only": False,
        "peer_scores": "never",
        "blind": False,
    }
    with pytest.raises(PermissionDenied):
        save_phase(call, values, juror.user)
    with pytest.raises(ValidationError):
        save_phase(call, {**values, "ends_at": values["starts_at"]}, staff)
    assert not ReviewPhase.objects.exists()


# --- the active phase ------------------------------------------------------------------------


def test_active_phase_is_the_one_whose_window_holds_now(db):
    call = reviewed_call()
    first = _phase(call, "Première lecture", "2027-03-01T09:00", "2027-03-15T18:00")
    second = _phase(call, "Seconde lecture", "2027-03-15T18:00", "2027-03-30T18:00")
    at = lambda text: datetime.fromisoformat(text).replace(tzinfo=PARIS)  # noqa: E731
    assert active_phase(call, at("2027-03-01T08:59")) is None
    assert active_phase(call, at("2027-03-01T09:00")) == first
    assert active_phase(call, at("2027-03-15T17:59")) == first
    # The end is excluded: at 18:00 the second phase has begun.
    assert active_phase(call, at("2027-03-15T18:00")) == second
    assert active_phase(call, at("2027-03-30T18:00")) is None
    with time_machine.travel(at("2027-03-20T10:00")):
        assert active_phase(call) == second


def test_review_is_open_during_a_phase_and_for_presidents_only_when_it_says_so(db):
    call = reviewed_call()
    member = make_juror(call)
    president = make_juror(call, role="president")
    assert not review_is_open(member)
    phase = open_phase(call)
    assert review_is_open(member)
    assert review_is_open(president)
    phase.presidents_only = True
    phase.save()
    assert not review_is_open(member)
    assert review_is_open(president)
    later = phase.ends_at + timedelta(minutes=1)
    assert not review_is_open(president, now=later)
