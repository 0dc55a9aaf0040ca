"""The menu and footer every page of Essor draws, read from the site's settings (SiteSettings)
once and then kept in the cache: the applicant's dossier and the jury's lists show them too, so
they must cost those pages no query. `SiteSettings.save` forgets them; a page unpublished or moved
shows in them until CHROME_SECONDS have passed."""

from django.core.cache import cache
from django.utils.translation import get_language

from applications.models.page_languages import page_url
from cms.models import ConformityLevel, SiteSettings

CHROME_SECONDS = 300


def _key():
    # Page titles and URLs are per language once pages are translated.
    return f"{SiteSettings.CHROME_CACHE_KEY}:{get_language()}"


def _links(stream, request):
    """(label, url) of a menu's links, in the editors' order; a page not live is left out."""
    links = []
    for block in stream:
        page, url = block.value.get("page"), block.value.get("url")
        if page is not None:
            if not page.live:
                continue
            url = page_url(page, request)
        if url:
            links.append((block.value["label"], url))
    return links


def _read(request):
    settings = (
        SiteSettings.objects.select_related(
            "legal_notice_page", "privacy_page", "accessibility_page"
        ).first()
        # Never written here: Wagtail's own `load` would create the row on a GET.
        or SiteSettings()
    )
    statement = settings.accessibility_page
    accessible = statement is not None and statement.live
    return {
        "menu": _links(settings.header_links, request),
        "footer_links": _links(settings.footer_links, request),
        "legal": [
            (page.title, page_url(page, request))
            for page in (settings.legal_notice_page, settings.privacy_page)
            if page is not None and page.live
        ],
        "accessibility": (
            (statement.conformity_level or ConformityLevel.NONE, page_url(statement, request))
            if accessible
            else None
        ),
        "footer_text": settings.footer_text,
    }


def site_chrome(request):
    """{"menu", "footer_links", "legal": [(label, url)], "accessibility": (level, url) or None,
    "footer_text"}: from the cache, or read and kept there."""
    chrome = cache.get(_key())
    if chrome is None:
        chrome = _read(request)
        cache.set(_key(), chrome, CHROME_SECONDS)
    return chrome


def forget_site_chrome(**_signal):
    """Wagtail's page_published and page_unpublished (connected in CmsConfig.ready): a menu or
    footer link to a page that changed is drawn again on the next request."""
    SiteSettings.forget_chrome()
