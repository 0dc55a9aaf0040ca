"""Require programme staff to turn on two-factor authentication when the programme asks it."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _


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
