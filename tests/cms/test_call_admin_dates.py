"""Issue 14, point 5: a call's opening and closing are typed the French way, read and shown in
Paris time whatever the editor's time zone, never replaced, and said back in words."""

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import streamfield
from wagtail.users.models import UserProfile

from applications.forms.dates import CLOSES, OPENS, describe, echo
from applications.models import Call
from tests import factories
from tests.cms.test_call_admin import add_call_url, call_post_data

PARIS = ZoneInfo("Europe/Paris")
UNREADABLE = "Type the date and time as dd/mm/yyyy hh:mm, for example “13/12/2026 17:00”."


@pytest.fixture
def programme(db):
    return factories.ProgrammeFactory()


def post_call(client, programme, **overrides):
    data = call_post_data(programme, [], form=streamfield([]), **overrides)
    return client.post(add_call_url(factories.call_index()), data)


def edit_url(call):
    return reverse("wagtailadmin_pages:edit", args=(call.pk,))


def field_value(html, name):
    return re.search(rf'<input type="text" name="{name}" value="([^"]*)"', html).group(1)


@pytest.mark.parametrize(
    "typed",
    ["13/12/2026 17:00", "13/12/2026 17h00", "13/12/2026 à 17h", "2026-12-13 17:00"],
)
def test_a_closing_date_typed_the_french_way_is_stored_in_paris_time(
    client, superuser, programme, typed
):
    client.force_login(superuser)

    response = post_call(client, programme, opens_at="01/12/2026 09:00", closes_at=typed)

    assert response.status_code == 302
    call = Call.objects.get(slug="tiers-lieux-2030")
    # Winter in Paris: UTC+1.
    assert call.opens_at == datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    assert call.closes_at == datetime(2026, 12, 13, 16, 0, tzinfo=UTC)


def test_a_summer_closing_is_read_in_summer_time(client, superuser, programme):
    client.force_login(superuser)

    post_call(client, programme, opens_at="01/06/2027 09:00", closes_at="30/06/2027 17:00")

    assert Call.objects.get(slug="tiers-lieux-2030").closes_at == datetime(
        2027, 6, 30, 15, 0, tzinfo=UTC
    )


def test_the_edit_page_shows_the_dates_as_they_were_typed(client, superuser):
    call = factories.make_call(
        opens_at=datetime(2026, 12, 1, 8, 0, tzinfo=UTC),
        closes_at=datetime(2026, 12, 13, 16, 0, 42, tzinfo=UTC),
    )
    client.force_login(superuser)

    html = client.get(edit_url(call)).content.decode()

    assert field_value(html, "opens_at") == "01/12/2026 09:00"
    assert field_value(html, "closes_at") == "13/12/2026 17:00"
    # A plain text box: no picker script is attached to it to rewrite what is typed.
    box = re.search(r'<input type="text" name="closes_at"[^>]*>', html).group(0)
    assert 'placeholder="dd/mm/yyyy hh:mm"' in box
    assert "data-w-date" not in box and "datetimepicker" not in box


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("13/12/2026 17", UNREADABLE),
        ("demain 17h", UNREADABLE),
        (
            "13/12/2026",
            "Add the time too, for example “13/12/2026 17:00”: a date alone could mean the "
            "start or the end of the day.",
        ),
        (
            "31/02/2027 17:00",
            "“31/02/2027 17:00” does not exist: check the day, the month and the time.",
        ),
        (
            "28/03/2027 02:30",
            "02:30 does not exist in Paris on that day: the clocks go forward from 02:00 to "
            "03:00. Choose another time.",
        ),
    ],
)
def test_an_unreadable_date_stays_in_the_box_with_a_plain_error_and_nothing_is_saved(
    client, superuser, typed, message
):
    call = factories.make_call(closes_at=datetime(2030, 3, 15, 16, 0, tzinfo=UTC))
    revisions = call.revisions.count()
    client.force_login(superuser)
    data = call_post_data(
        call.programme,
        [],
        title=call.title,
        slug=call.slug,
        form=streamfield([]),
        opens_at="10/01/2030 09:00",
        closes_at=typed,
    )

    response = client.post(edit_url(call), data)

    assert response.status_code == 200
    assert response.context["form"].errors["closes_at"] == [message]
    html = response.content.decode()
    assert field_value(html, "closes_at") == typed
    call.refresh_from_db()
    assert call.closes_at == datetime(2030, 3, 15, 16, 0, tzinfo=UTC)
    assert call.revisions.count() == revisions


def test_an_editor_in_another_time_zone_still_types_and_reads_paris_time(client, superuser):
    profile = UserProfile.get_for_user(superuser)
    profile.current_time_zone = "America/New_York"
    profile.save()
    call = factories.make_call(
        opens_at=datetime(2026, 12, 1, 8, 0, tzinfo=UTC),
        closes_at=datetime(2026, 12, 13, 16, 0, tzinfo=UTC),
        go_live_at=datetime(2026, 12, 13, 16, 0, tzinfo=UTC),
    )
    client.force_login(superuser)

    html = client.get(edit_url(call)).content.decode()
    # Wagtail's own fields follow the profile's zone (New York, UTC-5); the call's dates do not.
    assert field_value(html, "go_live_at") == "13/12/2026 11:00"
    assert field_value(html, "closes_at") == "13/12/2026 17:00"
    assert "Opening and closing (Paris time)" in html

    data = call_post_data(
        call.programme,
        [],
        title=call.title,
        slug=call.slug,
        form=streamfield([]),
        opens_at="01/12/2026 09:00",
        closes_at="14/12/2026 17:00",
    )
    response = client.post(edit_url(call), data)

    assert response.status_code == 302
    call.refresh_from_db()
    assert call.closes_at == datetime(2026, 12, 14, 16, 0, tzinfo=UTC)


NOW = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)  # Thursday 3 December 2026, 11:00 in Paris


@pytest.mark.parametrize(
    ("moment", "when", "text"),
    [
        (
            CLOSES,
            datetime(2026, 12, 13, 16, 0, tzinfo=UTC),
            "Closes in 10 days, on Sunday 13 December 2026 at 17:00, Paris time",
        ),
        (
            CLOSES,
            datetime(2026, 12, 4, 16, 0, tzinfo=UTC),
            "Closes tomorrow, Friday 4 December 2026 at 17:00, Paris time",
        ),
        (CLOSES, datetime(2026, 12, 3, 16, 0, tzinfo=UTC), "Closes today at 17:00, Paris time"),
        (CLOSES, datetime(2026, 12, 3, 8, 0, tzinfo=UTC), "Closed today at 09:00, Paris time"),
        (
            CLOSES,
            datetime(2026, 11, 1, 16, 0, tzinfo=UTC),
            "Closed 32 days ago, on Sunday 1 November 2026 at 17:00, Paris time",
        ),
        (
            OPENS,
            datetime(2026, 11, 30, 8, 0, tzinfo=UTC),
            "Opened 3 days ago, on Monday 30 November 2026 at 09:00, Paris time",
        ),
        (
            OPENS,
            datetime(2026, 12, 2, 8, 0, tzinfo=UTC),
            "Opened yesterday, Wednesday 2 December 2026 at 09:00, Paris time",
        ),
        (
            OPENS,
            datetime(2026, 12, 5, 8, 0, tzinfo=UTC),
            "Opens in 2 days, on Saturday 5 December 2026 at 09:00, Paris time",
        ),
        # 23:30 UTC on the 3rd is already the 4th in Paris.
        (
            OPENS,
            datetime(2026, 12, 3, 23, 30, tzinfo=UTC),
            "Opens tomorrow, Friday 4 December 2026 at 00:30, Paris time",
        ),
    ],
)
def test_the_echo_says_the_moment_in_words_counted_in_paris_days(moment, when, text):
    assert echo(moment, when, now=NOW) == text


def test_the_echo_of_what_is_typed_uses_the_same_reading_as_saving():
    assert describe(CLOSES, "13/12/2026 17h00", now=NOW) == (
        "Closes in 10 days, on Sunday 13 December 2026 at 17:00, Paris time",
        True,
    )
    assert describe(CLOSES, "13/12", now=NOW) == (UNREADABLE, False)
    assert describe(CLOSES, "", now=NOW) == ("", True)


def test_the_edit_page_writes_the_echo_beside_each_date(client, superuser):
    closing_day = timezone.localdate(timezone=PARIS) + timedelta(days=10)
    closes_at = datetime.combine(closing_day, time(17, 0), tzinfo=PARIS)
    call = factories.make_call(closes_at=closes_at)
    client.force_login(superuser)

    html = client.get(edit_url(call)).content.decode()

    expected = (
        f"Closes in 10 days, on {closing_day:%A} {closing_day.day} {closing_day:%B %Y} "
        "at 17:00, Paris time"
    )
    assert (
        f'<p class="essor-date-echo" id="id_closes_at-echo" aria-live="polite">{expected}</p>'
        in (html)
    )
    box = re.search(r'<input type="text" name="closes_at"[^>]*>', html).group(0)
    assert 'data-echo-url="/admin/essor/call-date/"' in box
    assert "id_closes_at-echo" in re.search(r'aria-describedby="([^"]*)"', box).group(1)


def test_the_echo_follows_what_is_typed_through_the_admin(client, superuser):
    client.force_login(superuser)
    url = reverse("essor_call_date_echo")

    typed = client.get(url, {"moment": "opens", "value": "13/12/2026 17:00"}).json()
    wrong = client.get(url, {"moment": "closes", "value": "13/13/2026 17:00"}).json()

    assert typed["valid"] is True
    assert typed["text"].startswith("Open")
    assert "Sunday 13 December 2026 at 17:00, Paris time" in typed["text"]
    assert wrong == {
        "text": "“13/13/2026 17:00” does not exist: check the day, the month and the time.",
        "valid": False,
    }


def test_only_admin_users_reach_the_echo(client, owner):
    url = reverse("essor_call_date_echo")

    assert client.get(url, {"value": "13/12/2026 17:00"}).status_code == 302
    client.force_login(owner)
    assert client.get(url, {"value": "13/12/2026 17:00"}).status_code == 302


def test_wagtail_date_fields_show_french_dates(client, superuser):
    call = factories.make_call(go_live_at=datetime(2026, 12, 13, 16, 0, tzinfo=UTC))
    client.force_login(superuser)

    html = client.get(edit_url(call)).content.decode()

    assert field_value(html, "go_live_at") == "13/12/2026 17:00"


def test_a_timeline_step_typed_the_french_way_is_saved_in_the_french_admin(
    client, superuser, programme, settings
):
    settings.LANGUAGE_CODE = "fr"
    client.force_login(superuser)
    timeline = streamfield([("step", {"label": "Jury", "date": "02/04/2030", "description": ""})])

    response = post_call(client, programme, timeline=timeline)

    assert response.status_code == 302
    call = Call.objects.get(slug="tiers-lieux-2030")
    assert [step.value["date"] for step in call.timeline] == [date(2030, 4, 2)]
    html = client.get(edit_url(call)).content.decode()
    assert "02/04/2030" in html


def test_a_timeline_step_keeps_its_day_in_the_english_admin(client, superuser, programme):
    # Wagtail shows 02/04/2030 day first in every language; Django's English would read it as
    # 4 February without essor/formats/en.
    client.force_login(superuser)
    timeline = streamfield([("step", {"label": "Jury", "date": "02/04/2030", "description": ""})])

    response = post_call(client, programme, timeline=timeline)

    assert response.status_code == 302
    call = Call.objects.get(slug="tiers-lieux-2030")
    assert [step.value["date"] for step in call.timeline] == [date(2030, 4, 2)]
