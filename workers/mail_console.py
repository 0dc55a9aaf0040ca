"""E-mails printed for people to read, for the embedded run (DEBUG with no mail server set): the
decoded subject, From, To, the text body, the names of the attachments. Django's own console
backend prints the raw MIME message (encoded subject, quoted-printable body, the HTML part):
right for debugging MIME, unreadable for following what the programme sends."""

import re
import sys
from html import unescape

from django.core.mail.backends.console import EmailBackend as ConsoleBackend

RULE = "─" * 72
_TAGS = re.compile(r"<[^>]+>")
_BLANK_LINES = re.compile(r"\n\s*\n\s*\n+")


def _text_of_html(html):
    """A readable text of an HTML body, for a message that has no text part."""
    html = re.sub(r"(?is)<(script|style)[^>]*>.*?</\1>", "", html)
    html = re.sub(r"(?i)<br\s*/?>|</p>|</li>|</h[1-6]>|</tr>", "\n", html)
    return _BLANK_LINES.sub("\n\n", unescape(_TAGS.sub("", html))).strip()


def readable(message):
    """The message as the lines a person reads in a terminal."""
    lines = [RULE, f"E-mail: {message.subject}", f"From: {message.from_email}"]
    lines.append(f"To: {', '.join(message.to)}")
    if message.cc:
        lines.append(f"Cc: {', '.join(message.cc)}")
    if message.reply_to:
        lines.append(f"Reply-To: {', '.join(message.reply_to)}")
    body = message.body or ""
    if not body.strip():
        html = next(
            (
                content
                for content, kind in getattr(message, "alternatives", [])
                if kind == "text/html"
            ),
            "",
        )
        body = _text_of_html(str(html))
    names = []
    for attachment in message.attachments:
        name = getattr(attachment, "filename", None)
        if name is None and isinstance(attachment, tuple):
            name = attachment[0]
        names.append(name or "(unnamed)")
    if names:
        lines.append(f"Attachments: {', '.join(names)}")
    lines += ["", body.rstrip(), RULE, ""]
    return "\n".join(lines)


class EmailBackend(ConsoleBackend):
    """Writes each message as `readable` gives it. The default stream is the process's real
    standard output: a Celery worker replaces `sys.stdout` with a logger that would stamp every
    line of the message with a time and a level."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("stream", sys.__stdout__ or sys.stdout)
        super().__init__(*args, **kwargs)

    def write_message(self, message):
        self.stream.write(readable(message))
        self.stream.write("\n")
