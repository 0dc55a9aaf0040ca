"""Registering a structure from a call's page returns to that call, with the new structure
chosen on its start page; a `next` that leads off the site is ignored."""

import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from accelerator.models import Structure
from tests import factories

pytestmark = pytest.mark.django_db


def _structure_data(**overrides):
    data = {
        "name": "Le Hangar",
        "legal_form": "association",
        "siret": factories.valid_siret(),
        "department": factories.department().pk,
        "creation_year": "2015",
        "annual_budget": "120 000,50",
        "employees": "4",
    }
    data.update(overrides)
    return data


@pytest.fixture
def person(db):
    return factories.UserFactory()


def test_the_call_page_and_the_start_page_send_their_call_as_next(client, person):
    call = factories.make_call()
    start = reverse("applications:start_dossier", args=[call.pk])
    html = client.get(call.url).content.decode()
    link = next(
        href
        for href in re.findall(r'href="([^"]+)"', html)
        if href.startswith(reverse("accelerator:structure_create"))
    )
    assert parse_qs(urlparse(link.replace("&amp;", "&")).query)["next"] == [
        f"{start}?structure=new"
    ]
    client.force_login(person)
    page = client.get(start).content.decode()
    register = reverse("accelerator:structure_create")
    assert f'href="{register}?next=' in page
    assert "structure%3Dnew" in page


def test_registering_with_a_next_returns_to_the_call_with_the_structure_chosen(client, person):
    call = factories.make_call()
    factories.MembershipFactory(user=person, role="owner")  # an older structure of theirs
    back = f"{reverse('applications:start_dossier', args=[call.pk])}?structure=new"
    client.force_login(person)
    form = client.get(reverse("accelerator:structure_create"), {"next": back}).content.decode()
    assert f'name="next" value="{back.replace("&", "&amp;")}"' in form
    response = client.post(
        reverse("accelerator:structure_create"), {**_structure_data(), "next": back}
    )
    assert response.status_code == 302 and response["Location"] == back
    created = Structure.objects.get(name="Le Hangar")
    start_page = client.get(back)
    assert start_page.context["selected"] == created
    # Straight to starting the dossier: the eligibility of the new structure and the button.
    assert "Start the dossier" in start_page.content.decode()


@pytest.mark.parametrize(
    "unsafe",
    [
        "https://evil.example/phish",
        "//evil.example/phish",
        "javascript:alert(1)",
        "http://testserver.evil.example/",
    ],
)
def test_a_next_off_the_site_is_ignored(client, person, unsafe):
    client.force_login(person)
    form = client.get(reverse("accelerator:structure_create"), {"next": unsafe}).content.decode()
    body = re.search(r'<form method="post" class="card structure-form".*?</form>', form, re.S)
    assert 'name="next"' not in body.group(0)
    assert f'<a href="{reverse("accelerator:home")}">Cancel</a>' in body.group(0)
    response = client.post(
        reverse("accelerator:structure_create"), {**_structure_data(), "next": unsafe}
    )
    created = Structure.objects.get(name="Le Hangar")
    assert response.status_code == 302
    assert response["Location"] == reverse("accelerator:members", args=[created.pk])


def test_a_refused_registration_keeps_the_next(client, person):
    call = factories.make_call()
    back = reverse("applications:start_dossier", args=[call.pk])
    client.force_login(person)
    response = client.post(
        reverse("accelerator:structure_create"), {**_structure_data(siret="123"), "next": back}
    )
    assert response.status_code == 200
    assert f'name="next" value="{back}"' in response.content.decode()
    assert not Structure.objects.filter(name="Le Hangar").exists()
