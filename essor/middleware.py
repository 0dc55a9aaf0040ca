"""The wiring's middleware: the language of each request, staff two-factor enrolment, the
security headers of every response (Content-Security-Policy, Permissions-Policy), and the 503
page while a dependency is down."""

import logging

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib import messages
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from cms.domain.site_languages import is_public_site_path
from essor import errors

logger = logging.getLogger(__name__)


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's, but only the public site reads its language in the address (French at /,
    English under /en/). The application's pages (dossiers, jury, staff, admin) have one address
    each and keep the language the person chose (the language switch's cookie, else the
    browser's), where Django would put every address without a prefix in French."""

    def process_request(self, request):
        super().process_request(request)
        path = request.path_info
        if translation.get_language_from_path(path) or is_public_site_path(path):
            return
        translation.activate(translation.get_language_from_request(request, check_path=False))
        request.LANGUAGE_CODE = translation.get_language()


class RequireStaffTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.ESSOR_REQUIRE_STAFF_MFA and self._must_enrol(request):
            messages.warning(
                request, _("Programme staff must turn on two-factor authentication to continue.")
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _must_enrol(request):
        user = getattr(request, "user", None)
        if not (user and user.is_authenticated and user.is_staff):
            return False
        allowed = ("/accounts/", "/static/", "/i18n/")
        if request.path.startswith(allowed) or request.path == reverse("account_logout"):
            return False
        from allauth.mfa.models import Authenticator

        return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's policy, relaxed only under the Wagtail admin's path (see settings)."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if request.path_info.startswith(settings.ESSOR_CSP_WAGTAIL_ADMIN_PREFIX):
            # A view's own @csp_replace still wins over the admin's relaxation.
            parts.replace = {**settings.ESSOR_CSP_WAGTAIL_ADMIN_REPLACE, **(parts.replace or {})}
        return parts


class PermissionsPolicyMiddleware:
    """Send the Permissions-Policy header: Django has no setting for it, and the header is one
    fixed line, so a library would add a dependency for nothing."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(allowed)})"
            for feature, allowed in settings.ESSOR_PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.header)
        return response


class DependencyOutageMiddleware:
    """A view that meets a database or Redis outage answers 503 "try again in a moment" with
    Retry-After, instead of the 500 page that reports a bug."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, errors.OUTAGE_ERRORS):
            return None
        logger.error("Service unavailable: %r on %s", exception, request.path, exc_info=exception)
        return errors.service_unavailable(request)
