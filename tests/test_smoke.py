import pytest

from applications.domain.dossiers import change_state
from tests import factories


@pytest.mark.django_db
def test_a_dossier_is_submitted_through_the_domain_function(dossier, owner):
    dossier = change_state(dossier, "submit", owner)
    assert dossier.state == "submitted"
    assert dossier.transitions.get().actor == owner
    assert factories.valid_siret()
