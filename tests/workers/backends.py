"""E-mail backends for the outbox tests: real Django backends, not mocks of our code."""

from django import db
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


class RecordingEmailBackend(LocmemEmailBackend):
    """A mail server that writes down what the outbox does with its connection, in order: opened,
    each message sent (its Message-ID), closed; each with the number of database queries run so
    far (inside django's CaptureQueriesContext). `fails` makes every send fail."""

    events = []
    fails = False

    def _record(self, event, *details):
        type(self).events.append((event, len(db.connection.queries_log), *details))

    def open(self):
        self._record("open")
        return super().open()

    def send_messages(self, email_messages):
        ids = [message.message()["Message-ID"] for message in email_messages]
        self._record("send", ids)
        if type(self).fails:
            raise ConnectionResetError("The mail server dropped the line")
        return super().send_messages(email_messages)

    def close(self):
        self._record("close")
        return super().close()
