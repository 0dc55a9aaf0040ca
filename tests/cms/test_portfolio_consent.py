"""A structure gives, changes and withdraws its consent to the public portfolio from its own
page, and the portfolio follows at once; its viewers read what is public but change nothing,
whoever has no link to it finds no page; and the programme's staff, who are not superusers,
record consents in the Wagtail admin once their group holds the permissions."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from accelerator.domain.impact_publication import publishable, set_publication
from accelerator.models import Indicator
from cms.demo.site import CONSENT_PERMISSION_VERBS
from cms.domain.portfolio import DESCRIPTION_MAX_LENGTH, give_consent
from cms.models import PortfolioConsent
from tests import factories
from tests.cms.site_world import PRIVATE_DESCRIPTION, accompanied, make_site, portfolio_page

pytestmark = pytest.mark.django_db

ADMIN_URL = "/admin/snippets/cms/portfolioconsent/"
# The page, whatever the number of public figures: the session, the user, the structure, its
# memberships, its latest accompaniment, the consent and the figures.
MAX_QUERIES = 7


@pytest.fixture
def shown(db):
    """An accompanied structure (Cher) with one public figure (jobs) and one kept private
    (people reached), its owner, editor and a viewer, and the public portfolio page."""
    home = make_site()
    accompaniment = accompanied(
        "Recyclerie du Berry",
        factories.department("18", "Cher"),
        {"jobs-fte": "4", "people-reached": "150"},
        ["jobs-fte"],
    )
    accompaniment.viewer = factories.MembershipFactory(
        structure=accompaniment.structure, role="viewer"
    ).user
    accompaniment.page = portfolio_page(home)
    return accompaniment


def page_url(structure):
    return reverse("portfolio:consent", kwargs={"pk": structure.pk})


def withdraw_url(structure):
    return reverse("portfolio:withdraw", kwargs={"pk": structure.pk})


def visitor_reads(shown):
    """The portfolio as an anonymous visitor reads it, kept pages included."""
    return Client().get(shown.page.url).content.decode()


def test_the_owner_consents_changes_and_withdraws_and_the_portfolio_follows(client, shown):
    structure = shown.structure
    client.force_login(shown.owner)
    url = page_url(structure)

    html = client.get(url).content.decode()
    # Exactly what would be public, and where figures are chosen.
    assert "does not appear in the portfolio" in html
    assert "Cher (18)" in html and "Impact measurement" in html
    jobs = Indicator.objects.get(code="jobs-fte")
    assert f"{jobs.name}: 4\xa0{jobs.unit}" in html
    assert "150" not in html and PRIVATE_DESCRIPTION[:20] not in html
    assert reverse("accelerator:impact_publication", kwargs={"pk": shown.pk}) in html
    assert "Recyclerie du Berry" not in visitor_reads(shown)

    response = client.post(url, {"description": "  Une recyclerie solidaire à Bourges.  "})

    assert response.status_code == 302 and response.url == url
    consent = PortfolioConsent.objects.get(structure=structure)
    assert consent.description == "Une recyclerie solidaire à Bourges."
    assert consent.consented_by == shown.owner and consent.consented_at
    public = visitor_reads(shown)
    assert "Recyclerie du Berry" in public and "Une recyclerie solidaire à Bourges." in public
    html = client.get(url).content.decode()
    assert "appears in the portfolio" in html and withdraw_url(structure) in html

    client.post(url, {"description": "Réemploi et ateliers à Bourges."})

    consent.refresh_from_db()
    assert consent.description == "Réemploi et ateliers à Bourges."
    public = visitor_reads(shown)
    assert "Réemploi et ateliers à Bourges." in public
    assert "Une recyclerie solidaire" not in public

    confirmation = client.get(withdraw_url(structure))
    assert confirmation.status_code == 200
    assert "Withdraw Recyclerie du Berry from the portfolio?" in confirmation.content.decode()
    assert PortfolioConsent.objects.filter(structure=structure).exists()  # asking is not doing
    response = client.post(withdraw_url(structure))

    assert response.status_code == 302 and response.url == url
    assert "no longer appears" in client.get(url).content.decode()
    assert not PortfolioConsent.objects.exists()
    assert "Recyclerie du Berry" not in visitor_reads(shown)
    # Nothing left to withdraw: back to the page.
    assert client.get(withdraw_url(structure)).url == url


def test_an_editor_consents_as_it_chooses_the_public_figures(client, shown):
    client.force_login(shown.editor)

    response = client.post(page_url(shown.structure), {"description": "Texte public."})

    assert response.status_code == 302
    assert PortfolioConsent.objects.get().consented_by == shown.editor


def test_a_viewer_reads_what_is_public_but_changes_nothing(client, shown):
    structure = shown.structure
    give_consent(structure, shown.owner, "Texte public.")
    client.force_login(shown.viewer)

    response = client.get(page_url(structure))

    html = response.content.decode()
    assert response.status_code == 200 and "Texte public." in html
    assert 'name="description"' not in html and withdraw_url(structure) not in html
    assert client.post(page_url(structure), {"description": "Autre."}).status_code == 403
    assert client.get(withdraw_url(structure)).status_code == 403
    assert client.post(withdraw_url(structure)).status_code == 403
    assert PortfolioConsent.objects.get().description == "Texte public."


def test_whoever_has_no_link_to_the_structure_finds_no_page(client, shown):
    structure = shown.structure
    give_consent(structure, shown.owner, "Texte public.")
    other = factories.MembershipFactory(role="owner").user

    anonymous = client.get(page_url(structure))
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous.url
    client.force_login(other)
    assert client.get(page_url(structure)).status_code == 404
    assert client.post(page_url(structure), {"description": "Pris."}).status_code == 404
    assert client.post(withdraw_url(structure)).status_code == 404
    assert PortfolioConsent.objects.get().description == "Texte public."


def test_a_structure_never_accompanied_has_no_portfolio_page_nor_link(client, shown):
    never = factories.StructureFactory(name="Jamais accompagnée")
    owner = factories.MembershipFactory(structure=never, role="owner").user
    client.force_login(owner)

    assert client.get(page_url(never)).status_code == 404
    assert client.post(page_url(never), {"description": "Texte."}).status_code == 404
    assert not PortfolioConsent.objects.exists()
    structure_page = client.get(reverse("accelerator:structure", kwargs={"pk": never.pk}))
    assert page_url(never) not in structure_page.content.decode()
    # The accompanied structure's page links it, for its members.
    client.force_login(shown.viewer)
    structure_page = client.get(reverse("accelerator:structure", kwargs={"pk": shown.structure.pk}))
    assert page_url(shown.structure) in structure_page.content.decode()


@pytest.mark.parametrize(
    "typed, error",
    [
        ("   ", "Write the description the public will read."),
        ("Trop long. " * (DESCRIPTION_MAX_LENGTH // 10), "Ensure this value has at most"),
    ],
)
def test_a_refused_description_stays_typed_with_the_error_summary(client, shown, typed, error):
    client.force_login(shown.owner)

    response = client.post(page_url(shown.structure), {"description": typed})

    html = response.content.decode()
    assert response.status_code == 200
    assert not PortfolioConsent.objects.exists()
    assert "<title>Error:" in html
    assert 'id="error-summary"' in html and 'href="#id_description"' in html
    assert error in html
    # What was typed is still in the box.
    assert f"{typed}</textarea>" in html


def test_the_page_reads_a_bounded_number_of_queries(client, shown, django_assert_max_num_queries):
    give_consent(shown.structure, shown.owner, "Texte public.")
    client.force_login(shown.owner)
    url = page_url(shown.structure)
    client.get(url)  # the session and the site's cached chrome

    with django_assert_max_num_queries(MAX_QUERIES):
        one = client.get(url).content.decode()
    set_publication(shown, shown.editor, [value.pk for value in publishable(shown)])
    with django_assert_max_num_queries(MAX_QUERIES):
        several = client.get(url).content.decode()

    people = Indicator.objects.get(code="people-reached")
    assert people.name not in one and people.name in several


def test_staff_who_are_not_superusers_record_consents_in_the_admin(client, shown):
    staff = factories.StaffFactory()
    group = Group.objects.create(name="Programme staff (test)")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    staff.groups.add(group)
    client.force_login(staff)
    assert client.get(ADMIN_URL).status_code == 302

    # What the demo's loader gives the staff group (cms.demo.site.load_site_permissions).
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="cms",
            codename__in=[f"{verb}_portfolioconsent" for verb in CONSENT_PERMISSION_VERBS],
        )
    )

    assert client.get(ADMIN_URL).status_code == 200
    assert client.get(ADMIN_URL + "add/").status_code == 200
    response = client.post(
        ADMIN_URL + "add/",
        {"structure": shown.structure.pk, "description": "Reçu par courrier."},
    )
    assert response.status_code == 302
    consent = PortfolioConsent.objects.get()
    assert consent.consented_by == staff and consent.consented_at
    assert "Reçu par courrier." in visitor_reads(shown)
    assert client.post(f"{ADMIN_URL}delete/{consent.pk}/").status_code == 302
    assert not PortfolioConsent.objects.exists()
    assert "Reçu par courrier." not in visitor_reads(shown)
