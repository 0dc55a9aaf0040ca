"""Fixtures of the accompaniment page tests: an accompaniment in labelling, and one at each
stage whose records the page shows."""

import pytest

from tests.accelerator.accompaniment import S
from tests.accelerator.test_journey_transitions import make_accompaniment


@pytest.fixture
def accompaniment(structure):
    return make_accompaniment(structure=structure, stage=S.LABELLING)


@pytest.fixture
def labelling(structure):
    return make_accompaniment(structure=structure, stage=S.LABELLING)


@pytest.fixture
def seed_funding(structure):
    return make_accompaniment(structure=structure, stage=S.SEED_FUNDING)


@pytest.fixture
def fundraising(structure):
    return make_accompaniment(structure=structure, stage=S.FUNDRAISING)
