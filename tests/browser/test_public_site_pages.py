"""Every page type of the public site in a real browser, at a phone's width and a desktop's:
axe-core finds nothing serious or critical, and nothing makes the phone scroll sideways."""

import datetime

import pytest
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from cms.domain.portfolio import give_consent
from cms.models import ConformityLevel, SiteSettings
from tests import factories

# The browser tests' fixtures, for this test outside their folder.
from tests.browser.test_accessibility import Checks, visit
from tests.cms.agenda_helpers import make_entry
from tests.cms.site_world import (
    accompanied,
    article,
    make_site,
    news_index,
    portfolio_page,
    programme_page,
    standard_page,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LONG_WORD = "Anticonstitutionnellement-solidaire-et-territorialisée"


def build_site():
    home = make_site()
    factories.make_call(title="Tiers-lieux ruraux")
    make_entry(title=f"Forum {LONG_WORD}", themes=("employment", "digital", "culture"))
    home.body = [
        {"type": "heading", "value": {"text": "Nos valeurs", "level": "h2"}},
        {"type": "paragraph", "value": f"<p>{LONG_WORD} et coopération.</p>"},
        {
            "type": "quote",
            "value": {"text": "On va plus loin ensemble.", "attribution": "Une lauréate"},
        },
        {
            "type": "call_to_action",
            "value": {"label": "Candidater", "page": None, "url": "https://example.org/"},
        },
    ]
    home.save_revision().publish()
    index = news_index(home)
    image = Image.objects.create(title="Photo", file=get_test_image_file(size=(1600, 900)))
    for n in range(1, 4):
        article(
            index,
            n,
            title=f"{LONG_WORD} {n}",
            tags=["emploi", LONG_WORD.lower()[:40]],
            image=image,
            image_alt="Un atelier",
        )
    programme = programme_page(
        home,
        journey=[
            {"type": "stage", "value": {"stage": "sourcing", "text": "Nous repérons les projets."}}
        ],
        partners=[
            {
                "type": "partner",
                "value": {
                    "name": "Région",
                    "url": "https://example.org",
                    "logo": image.pk,
                    "text": "Finance.",
                },
            }
        ],
    )
    factories.SupportPointFactory(
        name="Maison de l'ESS", department=factories.department("18", "Cher")
    )
    portfolio_page(home)
    shown = accompanied(
        "Recyclerie du Berry",
        factories.department("18", "Cher"),
        {"jobs-fte": "4", "people-reached": "10"},
        ["jobs-fte"],
    )
    give_consent(shown.structure, shown.editor, f"Une recyclerie. {LONG_WORD}.")
    statement = standard_page(
        home,
        "Déclaration d'accessibilité",
        "accessibilite",
        conformity_level=ConformityLevel.PARTIAL,
        audited_on=datetime.date(2026, 10, 1),
    )
    legal = standard_page(home, "Mentions légales", "mentions-legales")
    settings = SiteSettings.load()
    settings.accessibility_page, settings.legal_notice_page = statement, legal
    settings.footer_links = [
        {
            "type": "link",
            "value": {"label": "Contact", "page": None, "url": "mailto:contact@example.org"},
        }
    ]
    settings.header_links = [
        {"type": "link", "value": {"label": "Le programme", "page": programme.pk, "url": ""}},
        {"type": "link", "value": {"label": "Actualités", "page": index.pk, "url": ""}},
    ]
    settings.save()


def test_every_public_page_type(page, live_server):
    build_site()
    checks = Checks(page)
    for label, url in (
        ("home", "/"),
        ("news index", "/actualites/"),
        ("news by tag", "/actualites/?tag=emploi"),
        ("news article", "/actualites/article-1/"),
        ("programme", "/programme/"),
        ("portfolio", "/portefeuille/"),
        ("standard page", "/accessibilite/"),
        ("calls index", "/appels/"),
    ):
        visit(page, url)
        checks.check(label)
    checks.assert_clean()
    # The footer (with the wiring's base.html) links the statement with its status.
    visit(page, "/")
    footer = page.locator("footer.site-footer")
    assert footer.get_by_role("link", name="Accessibility: partially compliant").is_visible()
    assert page.locator("nav.site-nav").get_by_text("Actualités").count() == 1
