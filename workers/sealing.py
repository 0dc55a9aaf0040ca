"""Secrets that e-mails carry (reset, confirmation and invitation links), kept out of readable rows.

A message that carries a secret is stored with each secret replaced by a placeholder; the secrets
themselves are sealed (Fernet, keyed from SECRET_KEY) in `OutboxMessage.sealed_secrets`, opened
only by `deliver` at send time and erased once the message is sent. So the outbox, its admin, a
database export or a backup never hold a working link: only the recipient's mailbox does.

Sealed rather than merely hidden in the admin: anyone who reads the table some other way (a SQL
console, a dump, a future export) would otherwise still find the link. Kept until sent (not
dropped at once) because delivery is asynchronous and retried.
"""

import base64
import json
import re
import secrets

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.utils.crypto import salted_hmac
from django.utils.html import escape

SALT = "workers.sealing.outbox-secrets"
# What staff with the body permission see in place of a secret.
HIDDEN = "[…]"
PLACEHOLDER = re.compile(r"\[\[secret-[0-9a-f]+-\d+\]\]")


def _fernet():
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet(
        [
            Fernet(_urlsafe(salted_hmac(SALT, "fernet", secret=key, algorithm="sha256").digest()))
            for key in keys
        ]
    )


def _urlsafe(raw):
    return base64.urlsafe_b64encode(raw)


def _placeholder(nonce, index):
    # Unguessable per message: text written by someone else cannot smuggle a placeholder in.
    return f"[[secret-{nonce}-{index}]]"


def redact(body_text, body_html, secret_values, headers=None):
    """Return (body_text, body_html, sealed) with every secret replaced by a placeholder, or
    (body_text, body_html, headers, sealed) when `headers` (a dict) is given.

    The longest secrets are replaced first (a reset key is part of its reset link). Both the raw
    and the HTML-escaped spelling of a secret are replaced in the HTML body.
    """
    headers = dict(headers) if headers is not None else None
    values = sorted({value for value in secret_values if value}, key=len, reverse=True)
    sealed = ""
    if values:
        nonce = secrets.token_hex(6)
        for index, value in enumerate(values):
            placeholder = _placeholder(nonce, index)
            body_text = body_text.replace(value, placeholder)
            body_html = body_html.replace(escape(value), placeholder).replace(value, placeholder)
            for name in headers or ():
                headers[name] = headers[name].replace(value, placeholder)
        sealed = _fernet().encrypt(json.dumps({"nonce": nonce, "values": values}).encode()).decode()
    if headers is None:
        return body_text, body_html, sealed
    return body_text, body_html, headers, sealed


def _opened(sealed):
    try:
        return json.loads(_fernet().decrypt(sealed.encode()))
    except InvalidToken as error:
        # SECRET_KEY changed without a fallback: sending a mail with a dead link helps nobody.
        raise RuntimeError("The secrets of this message cannot be opened any more") from error


def reveal(body_text, body_html, sealed):
    """The bodies as the recipient receives them: placeholders replaced by the sealed secrets."""
    if not sealed:
        return body_text, body_html
    content = _opened(sealed)
    for index, value in enumerate(content["values"]):
        placeholder = _placeholder(content["nonce"], index)
        body_text = body_text.replace(placeholder, value)
        body_html = body_html.replace(placeholder, escape(value))
    return body_text, body_html


def reveal_headers(headers, sealed):
    """The headers as the recipient receives them (an unsubscribe link is the recipient's own)."""
    if not sealed or not headers:
        return dict(headers or {})
    content = _opened(sealed)
    revealed = {}
    for name, value in headers.items():
        for index, secret in enumerate(content["values"]):
            value = value.replace(_placeholder(content["nonce"], index), secret)
        revealed[name] = value
    return revealed


def hide_placeholders(text):
    """A redacted body as staff may read it: each placeholder shown as a neutral mark."""
    return PLACEHOLDER.sub(HIDDEN, text)
