"""Every state field of the project changes through the one runner: each has its machine declared,
and no module but the runner writes one (by attribute, setattr, a queryset update or a bulk
update). The state fields are found in the app registry, so a new machine is checked too."""

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django_fsm import FSMFieldMixin

from accelerator.domain import transitions
from accelerator.models import TransitionLog

ROOT = Path(settings.BASE_DIR).resolve()
RUNNER = Path(transitions.__file__).resolve()


def project_apps():
    """The installed apps of this repository (the rooms), not those of a library."""
    return [c for c in apps.get_app_configs() if Path(c.path).resolve().parent == ROOT]


def state_fields():
    """(model label, field name) of every state machine field of the project's models."""
    return sorted(
        (model._meta.label, field.name)
        for config in project_apps()
        for model in config.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, FSMFieldMixin)
    )


def application_modules():
    """Every module of the rooms and of the wiring package, but migrations and the runner."""
    folders = [Path(config.path) for config in project_apps()] + [ROOT / "essor"]
    for folder in folders:
        for path in sorted(folder.rglob("*.py")):
            if "migrations" in path.parts or path.resolve() == RUNNER:
                continue
            yield path


def _names(node):
    """The attribute and subscript targets of an assignment, tuples unpacked."""
    if isinstance(node, ast.Tuple | ast.List):
        for element in node.elts:
            yield from _names(element)
    elif isinstance(node, ast.Starred):
        yield from _names(node.value)
    else:
        yield node


def _constants(node):
    """The string constants of a literal list, tuple or set (None when it is not a literal)."""
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return {e.value for e in node.elts if isinstance(e, ast.Constant)}
    return None


def _dict_keys(node):
    """The keys of `{"field": …}` or `dict(field=…)` spread into a call with `**`."""
    if isinstance(node, ast.Dict):
        return {k.value for k in node.keys if isinstance(k, ast.Constant)}
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict":
        return {k.arg for k in node.keywords if k.arg}
    return set()


def writes(source, fields):
    """(line, what) of each write of one of `fields` in `source`: `x.state = …` (also augmented,
    annotated, unpacked, or through `x.__dict__["state"]`), `setattr(x, "state", …)`,
    `.update(state=…)` or `.update(**{"state": …})`, `bulk_update(…, ["state"])` (or with fields
    it cannot read)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in (t for each in targets for t in _names(each)):
                if isinstance(target, ast.Attribute) and target.attr in fields:
                    found.append((node.lineno, f"assigns .{target.attr}"))
                elif (
                    isinstance(target, ast.Subscript)
                    and isinstance(target.value, ast.Attribute)
                    and target.value.attr == "__dict__"
                    and isinstance(target.slice, ast.Constant)
                    and target.slice.value in fields
                ):
                    found.append((node.lineno, f"assigns __dict__[{target.slice.value!r}]"))
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name == "setattr" and len(node.args) >= 2:
            key = node.args[1]
            if isinstance(key, ast.Constant) and key.value in fields:
                found.append((node.lineno, f"setattr {key.value!r}"))
        elif name == "update":
            for keyword in node.keywords:
                if keyword.arg in fields:
                    found.append((node.lineno, f"update({keyword.arg}=…)"))
                elif keyword.arg is None and _dict_keys(keyword.value) & fields:
                    found.append((node.lineno, "update(**{…}) of a state field"))
        elif name == "bulk_update":
            given = node.args[1] if len(node.args) >= 2 else None
            for keyword in node.keywords:
                if keyword.arg == "fields":
                    given = keyword.value
            named = _constants(given) if given is not None else set()
            if named is None:
                found.append((node.lineno, "bulk_update with fields it cannot read"))
            elif named & fields:
                found.append((node.lineno, f"bulk_update of {sorted(named & fields)}"))
    return found


def test_the_project_has_state_machines():
    # The registry is read, not a list written here: a new FSMField is checked as soon as it exists.
    assert {
        ("applications.Dossier", "state"),
        ("accelerator.Accompaniment", "stage"),
        ("accelerator.RegulatoryObstacle", "state"),
    } <= set(state_fields())


def test_every_state_field_is_declared_as_a_machine_of_the_runner():
    for config in project_apps():
        try:
            domain = importlib.import_module(f"{config.name}.domain")
        except ModuleNotFoundError:
            continue
        for module in pkgutil.walk_packages(domain.__path__, f"{domain.__name__}."):
            importlib.import_module(module.name)
    undeclared = [
        f"{label}.{field}: declare its Machine in its room's domain/"
        for label, field in state_fields()
        if (label, field) not in transitions.MACHINES
    ]
    assert undeclared == []
    for machine in transitions.MACHINES.values():
        # One shape of log for every machine.
        assert issubclass(machine.log_model, TransitionLog)
        assert machine.log_model.subject_field


def test_no_code_outside_the_machine_assigns_the_state_field():
    # Neither by attribute, nor by setattr, nor by a queryset update that skips the machine.
    fields = {field for _label, field in state_fields()}
    offenders = [
        f"{path.relative_to(ROOT)}:{line}: {what}"
        for path in application_modules()
        for line, what in writes(path.read_text(), fields)
    ]
    assert offenders == [], "only accelerator.domain.transitions writes a state field"


@pytest.mark.parametrize(
    "line",
    [
        "dossier.state = 'selected'",
        "self.stage += 'x'",
        "obstacle.state: str = 'closed'",
        "a, b.stage = 1, 2",
        "dossier.__dict__['state'] = 'selected'",
        "setattr(dossier, 'state', 'selected')",
        "Dossier.objects.filter(pk=1).update(state='selected')",
        "Dossier.objects.filter(pk=1).update(\n    answers={},\n    state='selected',\n)",
        "Accompaniment.objects.update(**{'stage': 'alumni'})",
        "Accompaniment.objects.update(**dict(stage='alumni'))",
        "Dossier.objects.bulk_update(dossiers, ['state'])",
        "Dossier.objects.bulk_update(dossiers, fields=('answers', 'state'))",
        "Dossier.objects.bulk_update(dossiers, FIELDS)",
    ],
)
def test_the_guard_finds_every_kind_of_write(line):
    assert writes(line, {"state", "stage"}) != []


@pytest.mark.parametrize(
    "line",
    [
        "if dossier.state == 'selected': pass",
        "Dossier.objects.filter(state='draft').update(answers={})",
        "Milestone.objects.create(stage='sourcing')",
        "Dossier.objects.bulk_update(dossiers, ['answers'])",
        "paused_from = accompaniment.stage",
    ],
)
def test_the_guard_lets_reads_and_other_writes_pass(line):
    assert writes(line, {"state", "stage"}) == []
