"""allauth adapter: account e-mails go through the outbox; an opened invitation survives log-in;
clients are counted by their own address behind the proxy; a signed-in person is never sent back
to a Wagtail admin they may not enter."""

import hashlib
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accelerator.views.ratelimits import client_ip
from workers.outbox import queue_rendered

# What allauth puts in a mail's context that opens an account to whoever holds it.
SECRET_CONTEXT_KEYS = ("activate_url", "password_reset_url", "key", "code", "token")


class AccountAdapter(DefaultAccountAdapter):
    def is_safe_url(self, url):
        """allauth's rule, and one more: Wagtail sends a signed-in person without access to its
        admin to this log-in page with `next=/admin/…`, which would send them back to the admin,
        round and round. They go to their own page instead, told why."""
        if not super().is_safe_url(url):
            return False
        user = getattr(self.request, "user", None)
        admin = reverse("wagtailadmin_home")
        if (
            user is not None
            and user.is_authenticated
            and urlsplit(url).path.startswith(admin)
            and not user.has_perm("wagtailadmin.access_admin")
        ):
            messages.warning(
                self.request,
                _("Your account does not open the administration. Here is your own space."),
            )
            return False
        return True

    def get_client_ip(self, request):
        """allauth's rate limits count clients by the same rule as Essor's own (behind the
        trusted proxies, ESSOR_TRUSTED_PROXY_COUNT), so the two never disagree."""
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine client IP address")
        return ip

    def send_mail(self, template_prefix, email, context):
        user = context.get("user")
        language = getattr(user, "language", None) or translation.get_language() or "fr"
        with translation.override(language):
            message = self.render_mail(template_prefix, email, context)
        html = next(
            (
                content
                for content, mimetype in getattr(message, "alternatives", [])
                if mimetype == "text/html"
            ),
            "",
        )
        if not html:
            # allauth writes plain text; give every account e-mail the same HTML frame as ours.
            with translation.override(language):
                html = render_to_string(
                    "accelerator/email/account_message.html",
                    {
                        "subject": message.subject,
                        "body": message.body,
                        "site_url": settings.SITE_URL,
                        "programme_name": settings.ESSOR_PROGRAMME_NAME,
                    },
                )
        # Each confirmation or reset mail carries its own key or link: the body identifies it.
        digest = hashlib.sha256(message.body.encode()).hexdigest()[:32]
        queue_rendered(
            key=f"account:{template_prefix.rsplit('/', 1)[-1]}:{email}:{digest}"[:255],
            to=email,
            language=language,
            subject=message.subject,
            body_text=message.body,
            body_html=html,
            # Sealed in the outbox: staff who follow deliveries never see a working link.
            secrets=[str(context[name]) for name in SECRET_CONTEXT_KEYS if context.get(name)],
        )

    def get_login_redirect_url(self, request):
        # Someone who opened an invitation, then logged in or signed up, comes back to it.
        from accelerator.views.applicant.joining import INVITATION_SESSION_KEY

        token = request.session.get(INVITATION_SESSION_KEY)
        if token:
            return reverse("accelerator:invitation", args=[token])
        return super().get_login_redirect_url(request)
