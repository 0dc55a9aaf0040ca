"""Rich text typed by the public (an agenda entry's description): refused when it carries
script, otherwise sanitised with nh3 to a few harmless tags before it is stored."""

import re

import nh3
from django.utils.html import linebreaks
from django.utils.translation import gettext as _

from accelerator.domain.refusals import Refused

ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "h3", "h4"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
# What only a script would write: refused with a message rather than silently dropped, so the
# person knows their text was not kept as typed.
SCRIPTED = re.compile(
    r"<\s*/?\s*(script|style|iframe|object|embed|svg|math|form|input)\b"
    r"|\son[a-z]+\s*="
    r"|(java|vb)script\s*:"
    r"|data\s*:\s*text/html",
    re.IGNORECASE,
)
HAS_TAG = re.compile(r"<\s*/?\s*[a-z][a-z0-9]*[\s>/]", re.IGNORECASE)


def check_rich_text(text, field="description"):
    """The sanitised HTML of `text`; Refused (on `field`) when it carries script."""
    text = (text or "").strip()
    if SCRIPTED.search(text):
        raise Refused(
            {
                field: _(
                    "The text contains code (a script, a form or an event handler) that cannot "
                    "be published. Remove it and keep the text only."
                )
            }
        )
    if not HAS_TAG.search(text):
        # Plain text: its line breaks make the paragraphs.
        text = linebreaks(text, autoescape=True)
    return nh3.clean(
        text,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def plain_text(html):
    """The text of sanitised HTML, for feeds and calendars."""
    text = re.sub(r"</(p|li|h3|h4)>|<br\s*/?>", "\n", html or "")
    text = nh3.clean(text, tags=set())
    # nh3 escapes what it keeps as text.
    for entity, char in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&#39;", "'")):
        text = text.replace(entity, char)
    text = text.replace("&amp;", "&")
    return re.sub(r"\n{2,}", "\n\n", text).strip()
