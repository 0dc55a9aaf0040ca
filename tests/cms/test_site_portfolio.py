"""The public portfolio and the home page's figures show only what structures consented to: a
consenting accompanied structure's name, département, stage, public description and chosen
figures; nothing of a structure that did not consent, and none of its private fields."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils.html import escape

from accelerator.domain.refusals import Refused
from accelerator.models import Indicator
from cms.domain.home import headline_figures
from cms.domain.portfolio import give_consent, portfolio, withdraw_consent
from cms.models import PortfolioConsent
from tests import factories
from tests.cms.site_world import PRIVATE_DESCRIPTION, accompanied, make_site, portfolio_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(db):
    return make_site()


@pytest.fixture
def structures(home):
    cher = factories.department("18", "Cher")
    loiret = factories.department("45", "Loiret")
    shown = accompanied(
        "Recyclerie du Berry",
        cher,
        {"jobs-fte": "4", "people-reached": "150"},
        public_codes=["jobs-fte"],
        siret=factories.valid_siret(901),
    )
    give_consent(shown.structure, shown.editor, "Une recyclerie solidaire à Bourges.")
    hidden = accompanied(
        "Épicerie Secrète",
        loiret,
        {"jobs-fte": "7", "people-reached": "900"},
        public_codes=["jobs-fte", "people-reached"],
        siret=factories.valid_siret(902),
    )
    return shown, hidden


def test_portfolio_shows_what_a_consenting_structure_chose_and_nothing_else(
    client, home, structures
):
    shown, hidden = structures
    page = portfolio_page(home)

    html = client.get(page.url).content.decode()

    assert "Recyclerie du Berry" in html
    assert "Cher (18)" in html
    assert "Impact measurement" in html
    assert "Une recyclerie solidaire à Bourges." in html
    jobs = Indicator.objects.get(code="jobs-fte")
    assert f"<dt>{escape(jobs.name)}</dt><dd>4\xa0{jobs.unit}" in html
    # The figure it did not make public, and every private field, stay out.
    assert "150" not in html
    for private in (
        PRIVATE_DESCRIPTION[:20],
        "12 rue des Lilas",
        "prive.example.org",
        shown.structure.siret,
        shown.structure.siren,
        "120",  # annual budget
        shown.owner.email,
        shown.editor.email,
    ):
        assert private not in html, private
    # A structure that did not consent is not there at all, even with public figures.
    assert "Épicerie Secrète" not in html and "Loiret" not in html
    assert hidden.structure.siret not in html


def test_portfolio_entries_carry_only_the_public_fields(structures):
    (entry,) = portfolio()

    assert set(vars(entry)) == {"name", "department", "stage", "description", "figures"}
    jobs = Indicator.objects.get(code="jobs-fte")
    assert [(figure.label, figure.shown) for figure in entry.figures] == [
        (jobs.name, f"4\xa0{jobs.unit}")
    ]


def test_a_structure_never_accompanied_cannot_consent(home):
    structure = factories.StructureFactory()
    owner = factories.MembershipFactory(structure=structure, role="owner").user
    with pytest.raises(Refused):
        give_consent(structure, owner, "Pas encore accompagnée.")

    assert portfolio() == []
    assert not PortfolioConsent.objects.exists()


def test_withdrawing_consent_takes_the_structure_out_at_once(structures):
    shown, _hidden = structures

    withdraw_consent(shown.structure, shown.owner)

    assert portfolio() == []
    assert not PortfolioConsent.objects.exists()


def test_only_editors_or_staff_give_or_withdraw_consent(structures):
    shown, hidden = structures
    viewer = factories.MembershipFactory(structure=hidden.structure, role="viewer").user
    with pytest.raises(PermissionDenied):
        give_consent(hidden.structure, viewer, "Texte.")
    with pytest.raises(PermissionDenied):
        give_consent(hidden.structure, shown.editor, "Texte.")  # another structure's editor
    with pytest.raises(PermissionDenied):
        withdraw_consent(shown.structure, viewer)
    with pytest.raises(Refused):
        give_consent(hidden.structure, hidden.editor, "   ")
    assert PortfolioConsent.objects.count() == 1
    consent = give_consent(hidden.structure, factories.StaffFactory(), "Reçu par courrier.")
    assert consent.consented_by.is_staff and consent.description == "Reçu par courrier."


def test_headline_figures_add_up_only_the_consented_figures(structures):
    shown, hidden = structures

    figures = {figure.indicator.code: figure for figure in headline_figures()}

    # jobs-fte: both made it public (4 + 7), people-reached: only the second (900); the first's
    # 150 was never consented to. Consent to the portfolio is another matter: figures count
    # when the structure made them public.
    assert figures["jobs-fte"].value == 11
    assert figures["jobs-fte"].tally.reporting == 2
    assert figures["people-reached"].value == 900
    assert "funds-raised" not in figures


def test_home_page_shows_the_headline_figures(client, structures):
    html = client.get("/").content.decode()

    assert 'id="headline-figures"' in html
    assert "from 2 structures that chose to show it" in html
    assert "150" not in html


def test_a_figure_made_private_leaves_the_kept_home_page_at_once(
    client, structures, django_capture_on_commit_callbacks
):
    from accelerator.domain.impact_publication import set_publication

    shown, _hidden = structures
    assert "from 2 structures that chose to show it" in client.get("/").content.decode()
    assert client.get("/")["X-Essor-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        set_publication(shown, shown.editor, [])  # the figures of the first made private again

    html = client.get("/").content.decode()
    assert "from 2 structures that chose to show it" not in html
