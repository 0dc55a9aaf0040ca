"""What each page type's template asks the domain for (page models stay plain data, the
domain decides what is shown): the home page's sections, the programme's journey and points
d'appui, a page of news, the portfolio."""

from django import template

from cms.domain import home as home_domain
from cms.domain.news import news_page
from cms.domain.portfolio import portfolio
from cms.domain.programme import journey, support_points_by_department

register = template.Library()


@register.simple_tag(takes_context=True)
def home_sections(context, home):
    """The latest news (with the news index's address for their tags), the agenda entries to
    come and the headline figures."""
    request = context.get("request")
    original = home.original(request)  # its articles are under the home as written in French
    index = home_domain.news_index(original)
    return {
        "news_index_url": index.get_url(request) if index else "",
        "latest_news": home_domain.latest_news(original, home.NEWS_SHOWN),
        "upcoming_agenda": home_domain.upcoming_agenda_entries(
            home.AGENDA_SHOWN, context.get("now")
        ),
        "headline_figures": home_domain.headline_figures(),
    }


@register.simple_tag
def programme_sections(page):
    return {"stages": journey(page.journey), "departments": support_points_by_department()}


@register.simple_tag(takes_context=True)
def news_listing(context, index):
    """One page of the index's articles, of the tag asked for in the address."""
    request = context["request"]
    listing = news_page(
        index.original(request), request.GET.get("tag", ""), request.GET.get("page")
    )
    listing["index_url"] = index.get_url(request)
    return listing


@register.simple_tag
def portfolio_entries():
    return portfolio()
