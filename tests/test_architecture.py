"""The architecture holds: the import contracts of pyproject.toml pass, they refuse what they
forbid, and docs/architecture.svg is the picture of today's imports."""

import importlib.util
import subprocess
import sys
from copy import deepcopy
from pathlib import Path

import pytest
from importlinter import api
from importlinter.contracts.independence import IndependenceContract
from importlinter.contracts.layers import LayersContract

ROOT = Path(__file__).resolve().parent.parent


def _drawing():
    spec = importlib.util.spec_from_file_location(
        "draw_architecture", ROOT / "scripts" / "draw_architecture.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


draw_architecture = _drawing()


@pytest.fixture(scope="module")
def graph():
    return draw_architecture.build_graph()


def _contract(contract_id):
    config = api.read_configuration(str(ROOT / "pyproject.toml"))
    options = next(c for c in config["contracts_options"] if c.get("id") == contract_id)
    kind = {"layers": LayersContract, "independence": IndependenceContract}[options["type"]]
    return kind(
        name=options["name"], session_options=config["session_options"], contract_options=options
    )


def test_the_import_contracts_hold():
    # The command a developer runs, so that the failure reads exactly as it does for them.
    result = subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("contract_id", "importer", "imported"),
    [
        # workers imports no domain code.
        ("rooms", "workers.outbox", "applications.models.dossiers"),
        # No room imports the wiring.
        ("rooms", "accelerator.domain.journey", "essor.settings"),
        ("rooms", "accelerator.models.structures", "applications.models.dossiers"),
        # Models know nothing above them; the domain never reaches for a view.
        ("room-layers", "applications.models.dossiers", "applications.domain.dossiers"),
        ("room-layers", "accelerator.domain.journey", "accelerator.views.refusals"),
        ("room-layers", "applications.forms.dossier", "applications.views.applicant.access"),
        # Views are grouped by who uses them.
        ("views-by-who", "applications.views.applicant.dossier", "applications.views.jury.juror"),
        ("views-by-who", "accelerator.views.applicant.home", "accelerator.views.staff.cohorts"),
        ("room-layers", "cms.models.pages", "cms.demo.loader"),
        ("workers-layers", "workers.models", "workers.outbox"),
    ],
)
def test_the_contracts_refuse_an_import_the_wrong_way(graph, contract_id, importer, imported):
    contract = _contract(contract_id)
    assert contract.check(deepcopy(graph), verbose=False).kept
    wrong = deepcopy(graph)
    wrong.add_import(importer=importer, imported=imported)
    assert not contract.check(wrong, verbose=False).kept


def test_a_new_module_of_a_room_must_be_given_a_layer(graph):
    contract = _contract("room-layers")
    stray = deepcopy(graph)
    stray.add_module("accelerator.helpers")
    assert not contract.check(stray, verbose=False).kept


def test_the_architecture_picture_is_drawn_from_todays_imports(graph):
    assert draw_architecture.PICTURE.read_text(encoding="utf-8") == draw_architecture.draw(graph), (
        "Run `.venv/bin/python scripts/draw_architecture.py` and commit docs/architecture.svg"
    )


def test_the_picture_counts_every_import_between_rooms(graph):
    rooms = draw_architecture.rooms_and_layers(graph)
    _inside, between = draw_architecture.edges(graph, rooms)
    assert [room for room, _rows in rooms] == ["essor", "cms", "applications", "accelerator"] + [
        "workers"
    ]
    expected = {}
    for importer in graph.modules:
        for imported in graph.find_modules_directly_imported_by(importer):
            pair = importer.split(".")[0], imported.split(".")[0]
            if pair[0] != pair[1]:
                expected[pair] = expected.get(pair, 0) + 1
    assert between == expected
