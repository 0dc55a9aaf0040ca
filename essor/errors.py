"""The error pages: 400, 403, 404, 429, 500, the expired form (CSRF failure), and the 503 shown
while the database or the cache is unreachable. Wired in essor/urls.py and settings."""

import logging
import sys

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import render
from django.template import loader
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme

from accelerator.views.ratelimits import CACHE_OUTAGE_ERRORS

logger = logging.getLogger(__name__)

# A dependency that is down or too slow: the request may succeed again in a moment.
OUTAGE_ERRORS = (OperationalError, InterfaceError, *CACHE_OUTAGE_ERRORS)
RETRY_AFTER_SECONDS = 120


def _back_url(request):
    """The page the visitor came from, when it is a page of this site."""
    referer = request.META.get("HTTP_REFERER", "")
    try:
        host = request.get_host()
    except DisallowedHost:
        return ""
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={host}, require_https=request.is_secure()
    ):
        return referer
    return ""


def _page(request, template_name, status, **context):
    context.update(back_url=_back_url(request), contact_email=settings.ESSOR_CONTACT_EMAIL)
    return render(request, template_name, context, status=status)


def _standalone(request, template_name, status):
    """A page drawn from a plain context: no context processor, so no user, session or query."""
    context = {"back_url": _back_url(request), "contact_email": settings.ESSOR_CONTACT_EMAIL}
    return HttpResponse(loader.get_template(template_name).render(context), status=status)


def bad_request(request, exception=None):
    return _page(request, "400.html", 400)


def permission_denied(request, exception=None):
    return _page(request, "403.html", 403)


def page_not_found(request, exception=None):
    # An address with no language prefix that leads nowhere (a mistyped or an old link) is no
    # page of the French site: it answers in the visitor's language, not in French.
    if not translation.get_language_from_path(request.path_info):
        translation.activate(translation.get_language_from_request(request, check_path=False))
        request.LANGUAGE_CODE = translation.get_language()
    return _page(request, "404.html", 404)


def too_many_requests(request, exception=None):
    """allauth's limits answer with this page (it looks up `handler429` in the root URLs)."""
    response = _page(request, "429.html", 429)
    response["Retry-After"] = "60"
    return response


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: the form was sent from a page too old, or from elsewhere."""
    return _page(request, "403_csrf.html", 403, no_cookie=reason == REASON_NO_CSRF_COOKIE)


def service_unavailable(request):
    response = _standalone(request, "503.html", 503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request):
    """handler500. An outage raised outside a view (a middleware saving the session in Redis)
    reaches here rather than DependencyOutageMiddleware: it still gets the 503 page."""
    if isinstance(sys.exc_info()[1], OUTAGE_ERRORS):
        return service_unavailable(request)
    return _standalone(request, "500.html", 500)
