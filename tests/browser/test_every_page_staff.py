"""Every page the programme's staff open, in a real browser, at a phone and a desktop width: the
staff's half of test_every_page.py (a module of its own, so that both halves run at once)."""

import pytest

from tests.browser.test_every_page import STAFF_ROLES, survey_roles

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_every_page_for_the_staff(browser, live_server):
    survey_roles(browser, live_server, STAFF_ROLES)
