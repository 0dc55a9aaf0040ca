"""The public site's page cache: a page drawn for an anonymous visitor is kept in Django's cache and
served to the next one without a query, until the public pages are forgotten (a page published,
unpublished or moved, the site's settings, an agenda entry or an actor saved: cms/apps.py and
cms/domain/page_cache.py) or ESSOR_PAGE_CACHE_SECONDS have passed, which keeps a call's "time
left" right. Hand-written rather than wagtail-cache, which does not support Wagtail 8.

A page that drew a CSRF token (a form that posts) is not kept: the token is its visitor's. The
public pages' own forms (the agenda's filters, the language switch) are links and GET forms."""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import cc_delim_re
from django.utils.translation import get_language

from cms.domain.page_cache import page_generation

# The public site by URL name: Wagtail's pages (calls included), the agenda, the directory.
CACHED_VIEWS = frozenset(
    {
        "wagtail_serve",
        "cms:agenda",
        "cms:agenda_archive",
        "cms:agenda_entry",
        "cms:actors",
        "cms:actor",
    }
)
# Says whether the page came from the cache; tests and the benchmark read it.
HEADER = "X-Essor-Cache"
# Headers a page may vary on without changing what it is for a visitor with no session.
HARMLESS_VARY = {"", "accept-language", "cookie"}
REFUSED_CACHE_CONTROL = {"private", "no-store", "no-cache"}


class PublicPageCacheMiddleware:
    """Last of MIDDLEWARE: the outer middleware add their headers and cookies (security policy,
    CSRF cookie, Vary) to a kept page as to a drawn one. A kept page is looked for before the
    address is resolved; only a public page's answer is ever kept under its key."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = _key(request) if _anonymous_read(request) else None
        if key is not None:
            kept = cache.get(key)
            if kept is not None:
                return _kept_response(request, kept)
        response = self.get_response(request)
        if key is not None and _public(request) and _storable(request, response):
            _store(request, response, key)
        return response


def _anonymous_read(request):
    """An anonymous visitor's GET or HEAD. A session (signed in, or signing in) or messages
    waiting to be shown are served a drawn page."""
    return (
        settings.ESSOR_PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        and not request.user.is_authenticated
    )


def _public(request):
    match = request.resolver_match
    return request.method == "GET" and match is not None and match.view_name in CACHED_VIEWS


def _key(request):
    """None when the cache is out of reach."""
    generation = page_generation()
    if generation is None:
        return None
    # Scheme and host: the page's absolute links; the full path: its filters and page number.
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"cms:public-page:{generation}:{get_language()}:{digest}"


def _directives(response, header):
    return {d.split("=")[0].strip().lower() for d in cc_delim_re.split(response.get(header, ""))}


def _storable(request, response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.session.modified
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # the page drew a token
        and not len(messages.get_messages(request))
        and not _directives(response, "Cache-Control") & REFUSED_CACHE_CONTROL
        and _directives(response, "Vary") <= HARMLESS_VARY
    )


def _store(request, response, key):
    headers = [(name, value) for name, value in response.items() if name != HEADER]
    cache.set(key, (response.content, headers), settings.ESSOR_PAGE_CACHE_SECONDS)
    response[HEADER] = "miss"


def _kept_response(request, kept):
    content, headers = kept
    response = HttpResponse(content, headers=headers)
    response[HEADER] = "hit"
    return response
