"""Staff record, change and withdraw a structure's consent to the portfolio in the Wagtail
admin, through the domain: who recorded it and when are kept, a structure never accompanied
cannot be chosen, and the structure of a consent cannot be changed."""

import pytest

from cms.domain.portfolio import give_consent
from cms.models import PortfolioConsent
from tests import factories
from tests.cms.site_world import accompanied, make_site

pytestmark = pytest.mark.django_db

URL = "/admin/snippets/cms/portfolioconsent/"


@pytest.fixture
def staff_client(client):
    make_site()
    staff = factories.StaffFactory(is_superuser=True)
    client.force_login(staff)
    client.staff = staff
    return client


def test_staff_record_a_consent_through_the_domain(staff_client):
    shown = accompanied(
        "Recyclerie du Berry",
        factories.department("18", "Cher"),
        {"jobs-fte": "4", "people-reached": "1"},
        ["jobs-fte"],
    )
    never = factories.StructureFactory(name="Jamais accompagnée")

    assert staff_client.get(URL + "add/").status_code == 200
    refused = staff_client.post(URL + "add/", {"structure": never.pk, "description": "Texte."})
    assert refused.status_code == 200 and not PortfolioConsent.objects.exists()

    response = staff_client.post(
        URL + "add/", {"structure": shown.structure.pk, "description": "Reçu par courrier."}
    )

    assert response.status_code == 302, response.content.decode()[-3000:]
    consent = PortfolioConsent.objects.get()
    assert consent.structure == shown.structure
    assert consent.consented_by == staff_client.staff and consent.consented_at


def test_staff_change_the_description_but_not_the_structure(staff_client):
    shown = accompanied(
        "Recyclerie",
        factories.department("18", "Cher"),
        {"jobs-fte": "4", "people-reached": "1"},
        ["jobs-fte"],
    )
    other = accompanied(
        "Autre",
        factories.department("45", "Loiret"),
        {"jobs-fte": "4", "people-reached": "1"},
        ["jobs-fte"],
    )
    consent = give_consent(shown.structure, shown.editor, "Avant.")

    response = staff_client.post(
        f"{URL}edit/{consent.pk}/", {"structure": other.structure.pk, "description": "Après."}
    )

    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.structure == shown.structure and consent.description == "Après."
    assert consent.consented_by == staff_client.staff
    assert PortfolioConsent.objects.count() == 1


def test_staff_withdraw_a_consent(staff_client):
    shown = accompanied(
        "Recyclerie",
        factories.department("18", "Cher"),
        {"jobs-fte": "4", "people-reached": "1"},
        ["jobs-fte"],
    )
    consent = give_consent(shown.structure, shown.editor, "Texte.")

    assert staff_client.get(URL).status_code == 200
    response = staff_client.post(f"{URL}delete/{consent.pk}/")

    assert response.status_code == 302
    assert not PortfolioConsent.objects.exists()
