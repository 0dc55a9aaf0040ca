"""The public site's pages built as editors build them, for the tests of the site's page types."""

import datetime

from wagtail.models import Collection

from accelerator.data.indicators import load as load_indicators
from accelerator.domain.impact_publication import set_publication
from accelerator.models import ImpactReport, Indicator, ReportValue
from cms.models import (
    HomePage,
    NewsArticlePage,
    NewsIndexPage,
    PortfolioPage,
    ProgrammePage,
    StandardPage,
)
from tests import factories
from tests.accelerator.impact.world import agreed_plan, in_impact_measurement, validated
from tests.applications.full_form import ensure_wagtail_tree


def make_site():
    """The Wagtail root, the home page and the calls index, the root collection of images and
    the indicator catalogue: made here too, for a run without migrations (`--no-migrations`)."""
    ensure_wagtail_tree()
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    if not Indicator.objects.exists():
        load_indicators(Indicator)
    factories.call_index()
    return HomePage.objects.get()


def add_page(parent, page):
    parent.add_child(instance=page)
    return page


def news_index(home):
    return NewsIndexPage.objects.child_of(home).first() or add_page(
        home, NewsIndexPage(title="Actualités", slug="actualites")
    )


def article(index, n, tags=(), **fields):
    page = NewsArticlePage(
        title=fields.pop("title", f"Article {n}"),
        slug=f"article-{n}",
        date=fields.pop("date", datetime.date(2026, 1, 1) + datetime.timedelta(days=n)),
        intro=fields.pop("intro", f"Résumé de l'article {n}."),
        **fields,
    )
    index.add_child(instance=page)
    if tags:
        page.tags.add(*tags)
        page.save_revision().publish()
    return page


def programme_page(home, **fields):
    return add_page(home, ProgrammePage(title="Le programme", slug="programme", **fields))


def portfolio_page(home):
    return add_page(home, PortfolioPage(title="Portefeuille", slug="portefeuille"))


def standard_page(home, title, slug, **fields):
    return add_page(home, StandardPage(title=title, slug=slug, **fields))


PRIVATE_DESCRIPTION = "Notes internes : trésorerie tendue, dépend d'un seul financeur."


def accompanied(name, department, values, public_codes, **structure_fields):
    """A structure in impact measurement with one validated report of `values`, of which the
    editor made `public_codes` public."""
    structure = factories.StructureFactory(
        name=name,
        department=department,
        description=PRIVATE_DESCRIPTION,
        address="12 rue des Lilas",
        city="Bourges",
        website="https://prive.example.org",
        **structure_fields,
    )
    accompaniment = in_impact_measurement(structure=structure)
    agreed_plan(accompaniment)
    report = ImpactReport.objects.filter(accompaniment=accompaniment).order_by("number").first()
    report = validated(report, accompaniment, values)
    chosen = ReportValue.objects.filter(report=report, indicator__code__in=public_codes)
    set_publication(accompaniment, accompaniment.editor, [value.pk for value in chosen])
    return accompaniment
