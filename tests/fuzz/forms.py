"""Random posts to the forms a page shows: the forms are read from the page itself, so a field
added later is fuzzed without touching the tests.

`fuzz_page` reads every POST form of a page, then posts random values (hostile strings, huge
numbers, control characters, foreign digits, dropped fields) to each. It checks two things: no
answer is a server error, and a refusal stores nothing (every row of the project's apps is the
same before and after).
"""

import hashlib
import os
import re
from html.parser import HTMLParser

from django.apps import apps
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# Bounded so that the whole suite stays fast; ESSOR_FUZZ_EXAMPLES=500 for a long local run.
EXAMPLES = int(os.environ.get("ESSOR_FUZZ_EXAMPLES", "15"))
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same inputs in CI and on a developer's machine
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

NASTY = [
    "",
    " ",
    "\x00",
    "abc\x00def",
    "\x1b[31m\x07",
    "9" * 60,
    "-" + "9" * 40 + ".99",
    "99999999999999999999999999999.999",
    "1e999",
    "-1e-999",
    "NaN",
    "Infinity",
    "１２３４５",
    "٣٤٥",
    "0,000000000001",
    "1 000 000,50",
    "31/02/2026",
    "2026-02-31",
    "13/12/2026 17:00",
    "9999-12-31T23:59",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "x" * 3000,
    "mot " * 400,
    "\u202egnp.exe",
    "😀" * 20,
]

WATCHED_APPS = ("accelerator", "applications", "workers", "cms")
REFUSAL = re.compile(r"message--error|errorlist|error-summary|aria-invalid=\"true\"|fr-error")


class _Forms(HTMLParser):
    """The POST forms of a page: action and fields (name → the values its options offer)."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self._form = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method", "get").lower() == "post":
            self._form = {"action": attrs.get("action") or "", "fields": {}, "files": False}
            self.forms.append(self._form)
        if self._form is None:
            return
        name = attrs.get("name")
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            kind = attrs.get("type", "text").lower()
            if kind == "file":
                self._form["files"] = True
                return
            options = self._form["fields"].setdefault(name, [])
            if kind in ("radio", "checkbox", "hidden", "submit"):
                options.append(attrs.get("value", "on"))
        elif tag == "textarea" and name:
            self._form["fields"].setdefault(name, [])
        elif tag == "select" and name:
            self._select = self._form["fields"].setdefault(name, [])
        elif tag == "option" and self._select is not None:
            self._select.append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def post_forms(html):
    parser = _Forms()
    parser.feed(html)
    return [form for form in parser.forms if form["fields"]]


def _value(options):
    random_text = st.one_of(
        st.sampled_from(NASTY),
        st.text(max_size=60),
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
        st.decimals(allow_nan=True, allow_infinity=True, places=None).map(str),
    )
    if options:
        return st.one_of(st.sampled_from(options), random_text)
    return random_text


def _post_data(fields):
    """Each field kept or dropped (a partial post), with a random or offered value."""
    return st.fixed_dictionaries(
        {},
        optional={name: _value(options) for name, options in fields.items()},
    )


def fingerprint():
    """A digest of every row of the project's apps: what a refused post must leave unchanged."""
    digest = hashlib.sha256()
    for model in apps.get_models():
        if model._meta.app_label not in WATCHED_APPS or model._meta.proxy:
            continue
        for row in model._base_manager.order_by("pk").values_list():
            digest.update(repr(row).encode())
    return digest.hexdigest()


def is_refusal(response):
    if response.status_code in (400, 403, 404, 405, 409, 413, 422, 429):
        return True
    content_type = response.get("Content-Type", "")
    if response.status_code == 200 and content_type.startswith("text/html"):
        return bool(REFUSAL.search(response.content.decode(errors="replace")))
    return False


def fuzz_page(client, page_url, *, only=None, extra_post_urls=()):
    """Fuzz every POST form of `page_url` (those whose action contains `only`, if given), plus
    `extra_post_urls` with the fields of the page's first form (JSON endpoints such as autosave).
    Returns how many forms were fuzzed."""
    page = client.get(page_url)
    assert page.status_code == 200, (page_url, page.status_code)
    forms = post_forms(page.content.decode())
    targets = [
        (form["action"] or page_url, form["fields"])
        for form in forms
        if only is None or only in (form["action"] or page_url)
    ]
    if extra_post_urls and forms:
        targets += [(url, forms[0]["fields"]) for url in extra_post_urls]
    assert targets, f"no POST form on {page_url}"
    client.raise_request_exception = False

    @FUZZ_SETTINGS
    @given(data=st.data())
    def run(data):
        action, fields = data.draw(st.sampled_from(targets), label="form")
        posted = data.draw(_post_data(fields), label="data")
        before = fingerprint()
        response = client.post(action, posted)
        assert response.status_code < 500, (action, posted, response.status_code)
        if is_refusal(response):
            assert fingerprint() == before, f"a refused post to {action} stored something"

    run()
    return len(targets)
