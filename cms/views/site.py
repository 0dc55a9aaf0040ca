"""The files robots read at the site's root: robots.txt, pointing at the sitemap."""

from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

# The spaces behind a log-in: nothing there for a search engine, and no reason to knock.
PRIVATE_PREFIXES = ("/admin/", "/django-admin/", "/accounts/", "/i18n/")


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
