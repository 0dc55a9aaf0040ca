"""Fixtures of the public site and Wagtail admin tests."""

import pytest

from tests import factories


@pytest.fixture
def superuser(db):
    return factories.StaffFactory(is_superuser=True)


@pytest.fixture
def apply_urls(settings):
    """Route the Apply button's URL name even before the applicant's views exist."""
    settings.ROOT_URLCONF = "tests.cms.urls"
