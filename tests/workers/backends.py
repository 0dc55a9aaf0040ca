"""E-mail backends for the outbox tests: real Django backends, not mocks of our code."""

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemEmailBackend


class UnreachableServerEmailBackend(BaseEmailBackend):
    """Behaves like an SMTP backend whose server refuses the connection."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("The mail server refused the connection")


class SlowServerEmailBackend(LocmemEmailBackend):
    """A mail server that answers so late that the sending worker's claim expires meanwhile.

    `meanwhile` (set by the test) runs while the server keeps the worker waiting; then the server
    delivers, or fails when `fails` is set."""

    meanwhile = None
    fails = False

    def send_messages(self, email_messages):
        type(self).meanwhile()
        if type(self).fails:
            raise TimeoutError("The mail server answered too late")
        return super().send_messages(email_messages)
