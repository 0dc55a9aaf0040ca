"""Fixtures of the obstacle tests: everyone around a structure, its accompaniment, and an
obstacle its editor reported."""

import pytest

from accelerator.domain.obstacles import report_obstacle
from tests.accelerator.test_journey_transitions import make_accompaniment


@pytest.fixture
def everyone(people, manager, far_support_point_user):
    return {**people, "manager": manager, "far_support_point": far_support_point_user}


@pytest.fixture
def accompaniment(structure):
    return make_accompaniment(structure)


@pytest.fixture
def obstacle(accompaniment, editor):
    return report_obstacle(
        accompaniment,
        editor,
        "Code de la construction, art. R. 143-2",
        "L'ouverture d'un tiers-lieu dans un ancien hangar agricole.",
        "Une dérogation pour les établissements de moins de 50 personnes.",
    )
