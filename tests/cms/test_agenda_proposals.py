"""Proposing an agenda entry from the public site: any signed-in person may; bad input gets a
clear message by its field, the DSFR error summary and the typed text kept; rich text is
sanitised; the proposer corrects what staff sent back."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from cms.domain.moderation import run_entry
from cms.domain.text import check_rich_text
from cms.models import AgendaEntry
from tests import factories
from tests.cms.agenda_helpers import make_actor, make_entry, soon

pytestmark = pytest.mark.django_db

URL = "/agenda/propose/"


def _png(size=(40, 30), padding=0):
    buffer = io.BytesIO()
    Image.new("RGB", size, "green").save(buffer, "PNG")
    return SimpleUploadedFile("poster.png", buffer.getvalue() + b"\0" * padding, "image/png")


def _data(**changes):
    day = soon(12).date()
    data = {
        "kind": "event",
        "title": "Rencontre des tiers-lieux",
        "description": "Une journée pour se rencontrer.\n\nEntrée libre.",
        "organiser": "",
        "organiser_name": "Collectif des tiers-lieux",
        "starts_on": day.isoformat(),
        "starts_time": "09:30",
        "ends_on": day.isoformat(),
        "ends_time": "17:00",
        "place": "Bourges, la Friche",
        "online_link": "",
        "department": factories.department("18", "Cher").pk,
        "themes": ["territorial_development", "culture"],
        "registration_link": "",
        "image_alt": "",
    }
    data.update(changes)
    return data


@pytest.fixture
def person(client):
    user = factories.UserFactory()
    client.force_login(user)
    return user


def test_a_visitor_is_asked_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_signed_in_person_proposes_an_entry_that_waits_for_moderation(client, person):
    response = client.post(URL, _data())
    entry = AgendaEntry.objects.get()
    assert response.status_code == 302
    assert entry.state == "proposed" and entry.proposer == person
    assert entry.description == "<p>Une journée pour se rencontrer.</p>\n\n<p>Entrée libre.</p>"
    assert sorted(t.theme for t in entry.themes.all()) == ["culture", "territorial_development"]
    # Not public yet.
    client.logout()
    assert client.get(reverse("cms:agenda")).context["entries"].__len__() == 0


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"ends_time": "08:00"}, "ends_time", "end comes before the start"),
        ({"place": "", "online_link": ""}, "place", "place, an online link"),
        ({"description": "Hi <script>alert(1)</script>"}, "description", "code"),
        ({"description": '<img src=x onerror="alert(1)">'}, "description", "code"),
        ({"ends_time": ""}, "ends_time", "both the start and end times"),
        ({"themes": []}, "themes", "at least one theme"),
        ({"organiser_name": ""}, "organiser", "organiser"),
    ],
)
def test_bad_input_gets_a_clear_message_and_the_typed_text_is_kept(
    client, person, changes, field, words
):
    data = _data(**changes)
    response = client.post(URL, data)
    assert response.status_code == 200
    assert AgendaEntry.objects.count() == 0
    form = response.context["form"]
    assert words in " ".join(form.errors[field])
    body = response.content.decode()
    assert "error-summary" in body and f'href="#id_{field}' in body
    assert "<title>Error:" in body
    # What was typed comes back.
    assert 'value="Rencontre des tiers-lieux"' in body
    assert form["place"].value() == data["place"]


def test_an_oversized_image_is_refused_with_its_size(client, person):
    response = client.post(URL, {**_data(image_alt="A poster"), "image": _png(padding=3 * 2**20)})
    assert "limited to 2 MB" in " ".join(response.context["form"].errors["image"])
    assert AgendaEntry.objects.count() == 0


def test_a_file_that_is_no_picture_is_refused(client, person):
    pdf = SimpleUploadedFile("poster.png", b"%PDF-1.4 not a picture" * 10, "image/png")
    response = client.post(URL, {**_data(image_alt="A poster"), "image": pdf})
    assert "image" in response.context["form"].errors


def test_an_image_is_kept_with_its_description(client, person):
    response = client.post(URL, {**_data(image_alt="The poster"), "image": _png()})
    assert response.status_code == 302
    entry = AgendaEntry.objects.get()
    assert entry.image.name.endswith(".png") and entry.image_alt == "The poster"


def test_an_action_over_a_period_has_whole_days(client, person):
    start, end = soon(3).date(), soon(20).date()
    data = _data(
        kind="action",
        starts_on=start.isoformat(),
        ends_on=end.isoformat(),
        starts_time="",
        ends_time="",
    )
    assert client.post(URL, data).status_code == 302
    entry = AgendaEntry.objects.get()
    assert entry.all_day and entry.ends_at > entry.starts_at


def test_a_person_names_only_actors_and_structures_they_act_for(client, person):
    theirs = make_actor(managers=[person])
    other = make_actor()
    response = client.post(URL, _data(organiser=f"actor:{other.pk}"))
    assert response.status_code == 200
    assert client.post(URL, _data(organiser=f"actor:{theirs.pk}")).status_code == 302
    assert AgendaEntry.objects.get().organiser_actor == theirs


def test_rich_text_is_sanitised():
    html = check_rich_text('<p style="color:red">Hi <a href="https://x.org">there</a><u>!</u></p>')
    assert html == (
        '<p>Hi <a href="https://x.org" rel="noopener noreferrer nofollow">there</a>!</p>'
    )


def test_the_proposer_corrects_an_entry_sent_back_and_it_returns_to_the_queue(
    client, person, staff
):
    entry = make_entry(state="proposed", proposer=person)
    run_entry(entry, "request_changes", staff, "Add the place.")
    url = reverse("cms:agenda_edit", kwargs={"pk": entry.pk})
    page = client.get(url)
    assert page.status_code == 200
    assert client.post(url, _data(title="Corrected")).status_code == 302
    entry.refresh_from_db()
    assert (entry.title, entry.state) == ("Corrected", "proposed")


def test_nobody_else_edits_a_proposal(client, person):
    entry = make_entry(state="proposed")
    url = reverse("cms:agenda_edit", kwargs={"pk": entry.pk})
    assert client.get(url).status_code == 404
    published = make_entry()
    assert client.get(reverse("cms:agenda_edit", kwargs={"pk": published.pk})).status_code == 403


def test_the_proposer_sees_their_proposals(client, person):
    make_entry(state="proposed", proposer=person, title="Mine")
    make_entry(state="proposed", title="Not mine")
    response = client.get(reverse("cms:agenda_mine"))
    assert [e.title for e in response.context["entries"]] == ["Mine"]
