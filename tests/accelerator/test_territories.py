import pytest

from accelerator.data import territories
from accelerator.models import Department, Region


@pytest.mark.django_db
def test_every_region_and_departement_is_loaded_by_the_migration():
    assert Region.objects.count() == 18
    assert Department.objects.count() == 101
    assert Region.objects.get(code="11").name == "Île-de-France"


@pytest.mark.django_db
def test_centre_val_de_loire_has_its_six_departements():
    centre = Region.objects.get(code="24")
    assert centre.name == "Centre-Val de Loire"
    assert sorted(centre.departments.values_list("code", flat=True)) == [
        "18",
        "28",
        "36",
        "37",
        "41",
        "45",
    ]
    assert Department.objects.get(code="45").name == "Loiret"


@pytest.mark.django_db
def test_corsica_and_overseas_departements_have_their_insee_codes():
    assert set(Department.objects.filter(region__code="94").values_list("code", flat=True)) == {
        "2A",
        "2B",
    }
    overseas = dict(
        Department.objects.filter(code__startswith="97").values_list("code", "region__code")
    )
    assert overseas == {"971": "01", "972": "02", "973": "03", "974": "04", "976": "06"}


@pytest.mark.django_db
def test_loading_again_duplicates_nothing():
    assert territories.load(Region, Department) == (18, 101)
    assert Region.objects.count() == 18
    assert Department.objects.count() == 101
