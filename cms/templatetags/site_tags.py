"""The public site's shared pieces, for every page of Essor (templates/base.html): the menu
staff edit, the footer with its legal links and accessibility status, the social cards and the
language switch."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language_info
from wagtail.models import Page

from cms.domain.site_chrome import site_chrome
from cms.domain.site_languages import other_languages
from cms.models import ConformityLevel, SiteSettings

register = template.Library()


@dataclass
class Link:
    label: str
    url: str
    current: bool = False


def _site_settings(context):
    """The site's settings, for the social cards of the public pages (read once per request)."""
    request = context.get("request")
    cached = getattr(request, "_essor_site_settings", None)
    if cached is None:
        # Never written here: Wagtail's own `load` would create the row on a GET.
        cached = SiteSettings.objects.first() or SiteSettings()
        if request is not None:
            request._essor_site_settings = cached
    return cached, request


@register.inclusion_tag("cms/includes/site_menu.html", takes_context=True)
def site_menu(context):
    request = context.get("request")
    path = request.path if request is not None else None
    return {
        "links": [
            Link(label=label, url=url, current=url == path)
            for label, url in site_chrome(request)["menu"]
        ]
    }


@register.inclusion_tag("cms/includes/footer.html", takes_context=True)
def site_footer(context):
    """The footer: the editors' links, then the legal pages and the accessibility status, which
    the RGAA asks every page to show ("Accessibilité : partiellement conforme")."""
    chrome = site_chrome(context.get("request"))
    accessibility = None
    if chrome["accessibility"] is not None:
        level, url = chrome["accessibility"]
        accessibility = Link(label=ConformityLevel(level).label, url=url)
    return {
        "links": [Link(label=label, url=url) for label, url in chrome["footer_links"]],
        "legal": [Link(label=label, url=url) for label, url in chrome["legal"]],
        "accessibility": accessibility,
        "footer_text": chrome["footer_text"],
    }


@register.inclusion_tag("cms/includes/meta.html", takes_context=True)
def social_meta(context):
    """The description for search engines and the Open Graph and Twitter cards of a page."""
    site_settings, request = _site_settings(context)
    page = context.get("page")
    title = (page.seo_title or page.title) if page else ""
    description = (page.search_description if page else "") or site_settings.default_description
    image = getattr(page, "social_image", None) or site_settings.social_image
    image_url = ""
    if image is not None:
        rendition = image.get_rendition("fill-1200x630")
        image_url = request.build_absolute_uri(rendition.url) if request else rendition.url
    url = page.get_full_url(request) if page else ""
    return {
        "title": title,
        "description": description,
        "image_url": image_url,
        "url": url,
        "site_name": settings.ESSOR_PROGRAMME_NAME,
        "kind": "article" if getattr(page, "date", None) else "website",
    }


@register.simple_tag(takes_context=True)
def language_links(context):
    """[{code, name, url}]: the switch to each other language, named in that language, leading
    to this page's translation or its address in that language (cms.views.site)."""
    request = context.get("request")
    if request is None:
        return []
    page = context.get("page")
    page = page if isinstance(page, Page) else None
    return [
        {
            "code": code,
            "name": get_language_info(code)["name_local"],
            "url": reverse("cms:switch_language", args=[code]) + "?" + urlencode({"next": url}),
        }
        for code, _name, url in other_languages(request, page)
    ]
