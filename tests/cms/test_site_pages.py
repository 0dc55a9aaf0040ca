"""The public site's page types render with their bodies: the home page's news and figures, the
programme's journey and points d'appui, news by tag, standard pages; the menus and footer staff
edit; the social cards; the sitemap and robots.txt."""

import datetime

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from cms.models import ConformityLevel, SiteSettings
from tests import factories
from tests.cms.site_world import (
    add_page,
    article,
    make_site,
    news_index,
    programme_page,
    standard_page,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(db):
    return make_site()


def paragraph(text):
    return {"type": "paragraph", "value": f"<p>{text}</p>"}


def test_home_page_shows_the_latest_news_newest_first_and_its_body(client, home):
    index = news_index(home)
    for n in range(1, 5):
        article(index, n, title=f"Nouvelle {n}")
    home.body = [
        {"type": "heading", "value": {"text": "Nos valeurs", "level": "h2"}},
        paragraph("Coopérer plutôt que rivaliser."),
    ]
    home.save_revision().publish()

    html = client.get("/").content.decode()

    assert html.index("Nouvelle 4") < html.index("Nouvelle 3") < html.index("Nouvelle 2")
    assert "Nouvelle 1" not in html  # three shown
    assert 'href="/actualites/"' in html
    assert "<h2>Nos valeurs</h2>" in html and "Coopérer plutôt que rivaliser." in html


def test_home_page_has_no_empty_sections(client, home):
    html = client.get("/").content.decode()

    assert 'id="latest-news"' not in html
    assert 'id="headline-figures"' not in html
    assert 'id="upcoming-agenda"' not in html


def test_programme_page_shows_the_five_stages_partners_and_points_d_appui(client, home):
    factories.SupportPointFactory(
        name="Maison de l'ESS du Cher", department=factories.department("18", "Cher")
    )
    factories.SupportPointFactory(
        name="Loiret Active", department=factories.department("45", "Loiret")
    )
    factories.SupportPointFactory(
        name="Orléans Solidaire", department=factories.department("45", "Loiret")
    )
    page = programme_page(
        home,
        journey=[
            {
                "type": "stage",
                "value": {"stage": "seed_funding", "text": "Une subvention d'amorçage."},
            },
            {"type": "stage", "value": {"stage": "sourcing", "text": "Nous repérons les projets."}},
        ],
        partners=[
            {
                "type": "partner",
                "value": {
                    "name": "Région Centre-Val de Loire",
                    "url": "https://www.centre-valdeloire.fr",
                    "logo": None,
                    "text": "Finance le programme.",
                },
            }
        ],
    )

    response = client.get(page.url)

    assert response.status_code == 200
    html = response.content.decode()
    stages = ["Sourcing", "Labelling", "Seed funding", "Fundraising", "Impact measurement"]
    positions = [html.index(f"</span> {label}</h3>") for label in stages]
    assert positions == sorted(positions)
    assert "Alumni</h3>" not in html
    assert html.index("Nous repérons les projets.") < html.index("Une subvention d&#x27;amorçage.")
    assert "Région Centre-Val de Loire" in html and "Finance le programme." in html
    cher, loiret = html.index("<dt>Cher (18)</dt>"), html.index("<dt>Loiret (45)</dt>")
    assert cher < html.index("Maison de l&#x27;ESS du Cher") < loiret
    assert loiret < html.index("Loiret Active") < html.index("Orléans Solidaire")


def test_news_index_filters_by_tag_and_article_links_its_tags(client, home):
    index = news_index(home)
    article(index, 1, title="Lancement de la promotion", tags=["promotion"])
    article(index, 2, title="Forum de l'emploi", tags=["emploi", "territoire"])

    html = client.get("/actualites/").content.decode()
    assert "Lancement de la promotion" in html and "Forum de l&#x27;emploi" in html
    assert 'href="/actualites/?tag=emploi"' in html

    html = client.get("/actualites/?tag=emploi").content.decode()
    assert "Forum de l&#x27;emploi" in html and "Lancement de la promotion" not in html
    assert 'aria-current="page">emploi</a>' in html

    # A tag no article carries shows every article rather than nothing.
    html = client.get("/actualites/?tag=inconnu").content.decode()
    assert "Lancement de la promotion" in html

    response = client.get("/actualites/article-2/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Forum de l&#x27;emploi</h1>" in html
    assert 'href="/actualites/?tag=territoire"' in html


def test_news_index_pages_its_articles(client, home):
    index = news_index(home)
    for n in range(1, 13):
        article(index, n, title=f"Nouvelle {n:02d}")

    first = client.get("/actualites/").content.decode()
    second = client.get("/actualites/?page=2").content.decode()

    assert "Nouvelle 12" in first and "Nouvelle 03" in first and "Nouvelle 02" not in first
    assert "Nouvelle 02" in second and "Nouvelle 01" in second and "Page 2 of 2" in second


def test_draft_articles_are_not_listed(client, home):
    index = news_index(home)
    article(index, 1, title="Brouillon").unpublish()

    assert "Brouillon" not in client.get("/actualites/").content.decode()
    assert "Brouillon" not in client.get("/").content.decode()


def test_accessibility_statement_shows_its_conformity_level(client, home):
    page = standard_page(
        home,
        "Déclaration d'accessibilité",
        "accessibilite",
        conformity_level=ConformityLevel.PARTIAL,
        audited_on=datetime.date(2026, 10, 1),
        body=[paragraph("Essor s'engage à rendre son service accessible.")],
    )

    html = client.get(page.url).content.decode()

    assert "This site is <strong>partially compliant</strong> with the RGAA" in html
    assert "Audited on 1 October 2026." in html
    assert "Essor s&#x27;engage" in html or "Essor s'engage" in html


def render(source, request, **context):
    return Template("{% load site_tags %}" + source).render(
        Context({"request": request, **context})
    )


@pytest.fixture
def request_(home):
    return RequestFactory().get("/")


def test_footer_links_the_legal_pages_and_says_the_accessibility_status(home, request_):
    legal = standard_page(home, "Mentions légales", "mentions-legales")
    privacy = standard_page(home, "Données personnelles", "donnees-personnelles")
    statement = standard_page(
        home, "Accessibilité", "accessibilite", conformity_level=ConformityLevel.PARTIAL
    )
    settings = SiteSettings.load()
    settings.legal_notice_page, settings.privacy_page = legal, privacy
    settings.accessibility_page = statement
    settings.footer_text = "Un programme de la Région."
    settings.footer_links = [
        {
            "type": "link",
            "value": {"label": "Contact", "page": None, "url": "mailto:contact@example.org"},
        }
    ]
    settings.save()

    html = render("{% site_footer %}", request_)

    assert '<a href="/mentions-legales/">Mentions légales</a>' in html
    assert '<a href="/donnees-personnelles/">Données personnelles</a>' in html
    assert '<a href="/accessibilite/">Accessibility: partially compliant</a>' in html
    assert '<a href="mailto:contact@example.org">Contact</a>' in html
    assert "Un programme de la Région." in html
    # An unpublished legal page disappears from the footer rather than leading nowhere.
    legal.unpublish()
    request_ = RequestFactory().get("/")
    assert "Mentions légales" not in render("{% site_footer %}", request_)


def test_footer_without_a_statement_says_nothing_of_accessibility(home, request_):
    html = render("{% site_footer %}", request_)

    assert "Accessibility" not in html
    assert "open-source system for social-innovation accelerator programmes" in html


def test_main_menu_shows_the_editors_live_links(home, request_):
    programme = programme_page(home)
    hidden = standard_page(home, "Bientôt", "bientot")
    hidden.unpublish()
    settings = SiteSettings.load()
    settings.header_links = [
        {"type": "link", "value": {"label": "Le programme", "page": programme.pk, "url": ""}},
        {"type": "link", "value": {"label": "Bientôt", "page": hidden.pk, "url": ""}},
        {
            "type": "link",
            "value": {"label": "Le réseau", "page": None, "url": "https://ess.example.org/"},
        },
    ]
    settings.save()

    html = render("{% site_menu %}", RequestFactory().get("/programme/"))

    assert '<li><a href="/programme/" aria-current="page">Le programme</a></li>' in html
    assert '<li><a href="https://ess.example.org/">Le réseau</a></li>' in html
    assert "Bientôt" not in html


def test_pages_carry_their_seo_title_description_and_social_cards(client, home):
    index = news_index(home)
    page = article(index, 1, title="Forum", seo_title="Forum de l'ESS à Bourges")
    page.search_description = "Le forum annuel des acteurs du Cher."
    page.save_revision().publish()

    html = client.get(page.url).content.decode()

    assert "<title>Forum de l&#x27;ESS à Bourges · Essor</title>" in html
    assert '<meta name="description" content="Le forum annuel des acteurs du Cher.">' in html
    assert '<meta property="og:title" content="Forum de l&#x27;ESS à Bourges">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:url" content="http://localhost/actualites/article-1/">' in html
    assert '<meta name="twitter:card" content="summary">' in html


def test_a_page_without_description_uses_the_site_default(client, home):
    settings = SiteSettings.load()
    settings.default_description = "L'accélérateur d'innovation sociale du Centre-Val de Loire."
    settings.save()

    html = client.get("/").content.decode()

    assert '<meta property="og:description" content="L&#x27;accélérateur' in html
    assert '<meta property="og:type" content="website">' in html


def test_sitemap_lists_the_live_pages(client, home):
    programme_page(home)
    standard_page(home, "Brouillon", "brouillon").unpublish()

    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    xml = response.content.decode()
    assert "<loc>http://localhost/programme/</loc>" in xml
    assert "<loc>http://localhost/appels/</loc>" in xml
    assert "brouillon" not in xml


def test_robots_txt_points_to_the_sitemap_and_keeps_robots_out_of_private_spaces(client, home):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert "User-agent: *" in text
    assert "Disallow: /admin/" in text and "Disallow: /accounts/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_page_types_only_go_where_they_belong(home):
    from cms.models import NewsArticlePage, NewsIndexPage, PortfolioPage, ProgrammePage

    assert NewsIndexPage.can_create_at(home)
    assert ProgrammePage.can_create_at(home)
    assert PortfolioPage.can_create_at(home)
    assert not NewsArticlePage.can_create_at(home)
    index = add_page(home, NewsIndexPage(title="Actualités", slug="actualites"))
    assert NewsArticlePage.can_create_at(index)
    assert not NewsIndexPage.can_create_at(home)  # one news index
