"""E-mail backends for the outbox tests: real Django backends, not mocks of our code."""

from django.core.mail.backends.base import BaseEmailBackend


class UnreachableServerEmailBackend(BaseEmailBackend):
    """Behaves like an SMTP backend whose server refuses the connection."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("The mail server refused the connection")
