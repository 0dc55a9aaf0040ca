"""What makes every attempt at one outbox message the same e-mail: its Message-ID, and the
idempotency key of the providers that drop a second request carrying the same key.

A worker killed after the mail server accepted a message, before the outbox marked it sent, leaves
it to be sent again (workers/outbox.py). Both values derive from the outbox key, so the second copy
is recognisable as the first, or dropped by the provider.
"""

import hashlib
import uuid
from email.utils import parseaddr

from django.conf import settings
from django.core.mail.utils import DNS_NAME

# Providers whose docs say they drop a second message with the same key, and how django-anymail
# lets a message pass one:
# - Brevo's API reads `idempotencyKey` among the message's `headers` (a UUID, remembered 15 to 30
#   minutes: developers.brevo.com, "Email API now supports idempotency"); anymail's Brevo backend
#   copies the message's extra headers there (anymail/backends/brevo.py, set_extra_headers).
# - Resend reads an `Idempotency-Key` HTTP header on its API (24 hours), which anymail's Resend
#   backend gives no way to set (extra headers and esp_extra go into the JSON body); over SMTP
#   (smtp.resend.com) it reads the `Resend-Idempotency-Key` e-mail header (resend.com/docs,
#   "Idempotency Keys"), passed here.
# Other backends (SMTP servers, the other anymail services) get the stable Message-ID only.
BREVO_BACKENDS = {"anymail.backends.brevo.EmailBackend", "anymail.backends.sendinblue.EmailBackend"}
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


def _digest(key):
    return hashlib.sha256(key.encode()).digest()


def message_id(key):
    """`<32 hex digits of sha256(key)@the sender's domain>`: the same at every attempt."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or str(DNS_NAME)
    return f"<{_digest(key).hex()[:32]}@{domain}>"


def idempotency_headers(key):
    """The header through which the configured backend's provider takes an idempotency key."""
    if settings.EMAIL_BACKEND in BREVO_BACKENDS:
        # Brevo asks for a UUID: the key's digest, shaped as one.
        return {"idempotencyKey": str(uuid.UUID(bytes=_digest(key)[:16], version=4))}
    host = getattr(settings, "EMAIL_HOST", "")
    if settings.EMAIL_BACKEND == SMTP_BACKEND and host.endswith("resend.com"):
        return {"Resend-Idempotency-Key": f"essor-{_digest(key).hex()[:48]}"}
    return {}


def headers(key):
    return {"Message-ID": message_id(key), **idempotency_headers(key)}
