"""The preferences page: one choice per topic, essential topics fixed, DSFR's error pattern."""

import pytest
from django.urls import reverse

from tests.workers.notifications import ESSENTIAL, ROUTINE
from workers import preferences
from workers.models import Delivery, Preference

pytestmark = pytest.mark.django_db


def test_the_page_asks_to_log_in(client):
    response = client.get(reverse("workers:preferences"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_page_shows_each_topic_with_essential_ones_fixed(client, person, topics):
    client.force_login(person)

    html = client.get(reverse("workers:preferences")).content.decode()

    assert "Routine news" in html and "Your own deadlines" in html
    assert html.index("Your own deadlines") < html.index("Routine news")
    assert f'name="topic_{ROUTINE}" value="off"' in html
    essential_radios = [line for line in html.splitlines() if f'name="topic_{ESSENTIAL}"' in line]
    assert essential_radios and all("disabled" in line for line in essential_radios)
    assert "Always on, by e-mail as they come" in html


def test_choices_are_saved_and_shown_again(client, person, topics):
    client.force_login(person)

    response = client.post(
        reverse("workers:preferences"), {f"topic_{ROUTINE}": Delivery.DIGEST}, follow=True
    )

    assert preferences.choices_of(person) == {ROUTINE: Delivery.DIGEST}
    html = response.content.decode()
    assert "Your choices are saved." in html
    assert f'name="topic_{ROUTINE}" value="digest" ' in html
    checked = html.split(f'name="topic_{ROUTINE}" value="digest"')[1].split(">")[0]
    assert "checked" in checked


def test_an_essential_topic_cannot_be_turned_off(client, person, topics):
    client.force_login(person)

    client.post(
        reverse("workers:preferences"),
        {f"topic_{ROUTINE}": Delivery.OFF, f"topic_{ESSENTIAL}": Delivery.OFF},
    )

    assert preferences.choices_of(person) == {ROUTINE: Delivery.OFF}
    assert not Preference.objects.filter(topic=ESSENTIAL, delivery=Delivery.OFF).exists()


def test_a_missing_choice_is_shown_with_an_error_summary(client, person, topics):
    client.force_login(person)

    response = client.post(reverse("workers:preferences"), {f"topic_{ROUTINE}": "sometimes"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error:" in html
    assert "data-error-summary" in html and 'role="alert"' not in html
    assert f'href="#id_topic_{ROUTINE}_0"' in html
    assert f'id="id_topic_{ROUTINE}_0"' in html
    assert not Preference.objects.exists()
