"""What the home page gathers from the rest of the site: the latest news, the upcoming agenda
entries and the programme's headline figures, each in a fixed number of queries."""

from django.db.models import Count, Sum

from accelerator.domain.impact_dashboards import Figure, Tally
from accelerator.domain.impact_programme import HEADLINE_CODES
from accelerator.domain.impact_publication import public_figures
from accelerator.models import Indicator
from cms.domain import agenda_listing
from cms.domain.news import articles
from cms.models.news import NewsIndexPage


def news_index(home):
    return NewsIndexPage.objects.live().child_of(home).first()


def latest_news(home, limit):
    return list(articles(home, descendants=True)[:limit])


def upcoming_agenda_entries(limit, now):
    """The published agenda entries to come, soonest first (the agenda's own query)."""
    return list(agenda_listing.upcoming(now=now)[:limit])


def headline_figures():
    """The programme's headline figures (HEADLINE_CODES, in that order) over the structures
    that chose to show theirs: each structure's latest validated figure of the indicator,
    counted only when consented to (`public_figures`), added up as the indicator says
    (sum or mean). An indicator no structure shows is left out. Two queries."""
    indicators = {
        indicator.code: indicator
        for indicator in Indicator.objects.filter(code__in=HEADLINE_CODES, active=True)
    }
    rows = (
        public_figures()
        .filter(is_latest=True, indicator__code__in=HEADLINE_CODES, value__isnull=False)
        .order_by()
        .values("indicator__code")
        .annotate(
            total=Sum("value"),
            counted=Count("pk"),
            reporting=Count("report__accompaniment__structure", distinct=True),
        )
    )
    tallies = {
        row["indicator__code"]: Tally(
            total=row["total"], counted=row["counted"], reporting=row["reporting"]
        )
        for row in rows
    }
    return [
        Figure(indicators[code], tallies[code])
        for code in HEADLINE_CODES
        if code in indicators and code in tallies
    ]
