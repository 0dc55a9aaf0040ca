"""The print style sheet: linked for print on every page, served, and hiding the site's frame and
the forms' controls so that dossiers, reviews and the cohort board print as documents."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.http import HttpResponseNotFound
from django.templatetags.static import static
from whitenoise.middleware import WhiteNoiseMiddleware

pytestmark = pytest.mark.django_db


def _sheet():
    path = finders.find("css/print.css")
    assert path, "css/print.css is not found by the static files finders"
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def _rule_for(sheet, selector):
    """The declarations of every rule whose selector list names `selector`."""
    found = []
    sheet = re.sub(r"/\*.*?\*/", "", sheet, flags=re.S)
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", sheet):
        if selector in [s.strip() for s in selectors.split(",")]:
            found.append(body)
    return " ".join(found)


def test_every_page_links_the_print_sheet(client):
    page = client.get("/accounts/login/").content.decode()
    assert f'<link rel="stylesheet" href="{static("css/print.css")}" media="print">' in page


def test_the_print_sheet_is_served(rf, settings):
    # As the embedded run serves it (whitenoise reading the static folders, DEBUG on); in
    # production the same file is collected first.
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    middleware = WhiteNoiseMiddleware(lambda request: HttpResponseNotFound())
    response = middleware(rf.get(static("css/print.css")))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b".site-header" in body


@pytest.mark.parametrize(
    "selector",
    [".site-header", ".site-nav", ".site-footer", "button", ".button", "input", "select"],
)
def test_the_frame_and_the_controls_are_not_printed(selector):
    assert "display: none !important" in _rule_for(_sheet(), selector)


def test_answers_and_cards_are_not_cut_between_pages():
    sheet = _sheet()
    for selector in (".answer-text", ".card", ".board-card", "dd"):
        assert "break-inside: avoid" in _rule_for(sheet, selector), selector


def test_paper_is_black_on_white_and_outside_links_show_their_address():
    sheet = _sheet()
    assert "color: #000 !important" in _rule_for(sheet, "*")
    assert 'content: " (" attr(href) ")"' in _rule_for(sheet, 'a[href^="http"]::after')
    assert "overflow: visible !important" in _rule_for(sheet, ".board")
