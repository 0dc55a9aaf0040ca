"""The files robots read at the site's root (robots.txt, pointing at the sitemap), and the
language switch every page shows."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

from cms.domain.site_languages import address_in

# The spaces behind a log-in: nothing there for a search engine, and no reason to knock.
PRIVATE_PREFIXES = ("/admin/", "/django-admin/", "/accounts/", "/i18n/", "/language/")


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    return render(
        request,
        "cms/robots.txt",
        {
            "disallowed": PRIVATE_PREFIXES,
            # At the root, where robots look for it (essor/urls.py).
            "sitemap_url": request.build_absolute_uri("/sitemap.xml"),
        },
        content_type="text/plain; charset=utf-8",
    )


@require_GET
@never_cache
def switch_language(request, language):
    """Keeps the language chosen (the cookie the application's pages read; the public site's
    pages read their address) and goes back to the page `next`, at its address in that language.
    A link rather than a form: the public pages carry no token and stay cacheable."""
    if language not in dict(settings.LANGUAGES):
        raise Http404
    back = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = "/"
    response = redirect(address_in(back, language))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
