"""The one runner of every state machine: permission, row lock, conditions, transition, log,
after-step and notifications, for one object (`run`) or many at once (`run_many`).

A machine is declared as data (`Machine`) in the room that owns it, beside its conditions and its
notices: the dossier in `applications.domain.dossiers`, the accompaniment journey in
`accelerator.domain.journey`, the regulatory obstacle in `accelerator.domain.obstacles`, the
impact report in `accelerator.domain.impact_reports`. Its
transitions are the model's `@transition` methods; nothing but this module writes its state field
(tests/test_state_machines.py checks it).

A condition is a function `(obj, actor, comment, data) -> [reasons]`: an empty list lets the
transition happen, reasons (translated, for the user) refuse it with `TransitionRefused`.
"""

import dataclasses
from collections.abc import Callable, Mapping, Sequence

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django_fsm import ConcurrentTransition, can_proceed

from accelerator.domain.refusals import Refused


class TransitionRefused(Refused):
    """A transition the machine does not allow now; `messages` say why, in the user's language."""


Condition = Callable[..., list]

# Where the runner notes, on a caller's copy, the state its last transition left the row in.
_KNOWN = "_transition_left"

# Every declared machine, by (model label, state field): declaring one registers it, so the
# suite can check that each state field of the project has its machine.
MACHINES = {}


@dataclasses.dataclass(frozen=True, eq=False)
class Machine:
    """A state machine as data: what the runner needs to move `model`'s `field`.

    `permission` is a permission name, `{name}` standing for the transition's name; it is asked
    on the object, or on its attribute `permission_on` when the rule is about a parent.
    `refused_message` is formatted with `{field: the displayed state}` of the locked row.
    By transition name: `requirements` are conditions on what the caller gives (a comment),
    checked before the row is locked; `conditions` are checked on the locked row once the
    transition is possible from its state; `arguments` are the keyword arguments the transition
    method takes; `comment_argument` the argument logged when no comment is given;
    `changeable_fields` the fields a transition may set with it. `bulk` names the transitions
    whose method changes nothing but the state, which `run_many` may run on many objects.
    `after(obj, log)` runs in the transaction once the log is written (the journey opens the
    milestones of the new stage); `notify(obj, log)` then queues the e-mails in the outbox.
    """

    model: type[models.Model]
    log_model: type[models.Model]
    permission: str
    refused_message: str
    concurrent_message: str
    field: str = "state"
    permission_on: str = ""
    select_related: tuple[str, ...] = ()
    requirements: Mapping[str, Sequence[Condition]] = dataclasses.field(default_factory=dict)
    conditions: Mapping[str, Sequence[Condition]] = dataclasses.field(default_factory=dict)
    arguments: Mapping[str, Sequence[str]] = dataclasses.field(default_factory=dict)
    comment_argument: Mapping[str, str] = dataclasses.field(default_factory=dict)
    changeable_fields: Mapping[str, frozenset] = dataclasses.field(default_factory=dict)
    bulk: frozenset = frozenset()
    after: Callable | None = None
    notify: Callable | None = None

    def __post_init__(self):
        MACHINES[(self.model._meta.label, self.field)] = self

    @property
    def transitions(self):
        """The names of the model's transition methods on this machine's field."""
        return frozenset(self.model._meta.get_field(self.field).transitions[self.model])

    def state(self, obj):
        return getattr(obj, self.field)


def reasons(machine, obj, name, actor=None, comment="", data=None):
    """Why transition `name` would be refused by its conditions now (not by the state): the
    reasons `run` gives, for pages that say what a move still needs."""
    return _reasons(machine.conditions, obj, name, actor, comment, data or {})


def run(machine, obj, name, actor, comment="", data=None, changes=None):
    """Run transition `name` of `machine` on `obj` for `actor`. Returns the updated object, read
    from the locked row; `obj` keeps the values it was read with (saving it fails), but the runner
    remembers its transition: passing `obj` again is not refused as stale.

    `data` holds the transition method's arguments (`machine.arguments`), `changes` the fields
    set with it (`machine.changeable_fields`); both are checked, a stray one is a ValueError.
    Raises PermissionDenied when the actor may not, TransitionRefused when the state or a
    condition forbids it, also when the move was chosen from a state the row has left (a stale
    copy) or a concurrent request changed the state first.
    """
    data, changes = data or {}, changes or {}
    _check_permission(machine, obj, name, actor)
    _check_request(machine, name, data, changes)
    refusal = _reasons(machine.requirements, obj, name, actor, comment, data)
    if refusal:
        raise TransitionRefused(refusal)
    try:
        with transaction.atomic():
            # The row lock runs two concurrent requests one after the other; the second then
            # finds the new state and is refused instead of repeating the transition.
            locked = _locked(machine).get(pk=obj.pk)
            refusal = _refusal(machine, locked, obj, name, actor, comment, data)
            if refusal:
                raise TransitionRefused(refusal)
            source = machine.state(locked)
            getattr(locked, name)(**data)
            for field, value in changes.items():
                setattr(locked, field, value)
            locked.save()
            log = _log(machine, locked, name, actor, source, comment, data)
            log.save()
            _after(machine, locked, log)
    except ConcurrentTransition as error:
        raise TransitionRefused(str(machine.concurrent_message)) from error
    _remember(machine, obj, locked)
    return locked


def run_many(machine, objects, name, actor, comment=""):
    """Run transition `name` on many objects for `actor`, as `run` does for one (same
    permission, conditions, log, after-step and notifications), with one lock, one update per
    (source, target) and one insert of the logs. Only the machine's `bulk` transitions.

    Returns (the changed objects, {pk: reasons} for those refused); a refused object does not
    stop the others. Raises PermissionDenied, before any change, when the actor may not move one.
    """
    if name not in machine.bulk:
        raise ValueError(f"{name} changes more than the {machine.field}: run it on one object")
    objects = list(objects)
    for obj in objects:
        _check_permission(machine, obj, name, actor)
    refused = {}
    for obj in objects:
        refusal = _reasons(machine.requirements, obj, name, actor, comment, {})
        if refusal:
            refused[obj.pk] = refusal
    given = {obj.pk: obj for obj in objects if obj.pk not in refused}
    changed, sources = [], {}
    with transaction.atomic():
        locked = _locked(machine).filter(pk__in=list(given)).order_by("pk")
        for row in locked:
            refusal = _refusal(machine, row, given[row.pk], name, actor, comment, {})
            if refusal:
                refused[row.pk] = refusal
                continue
            sources[row.pk] = machine.state(row)
            getattr(row, name)()
            changed.append(row)
        groups = {}
        for row in changed:
            groups.setdefault((sources[row.pk], machine.state(row)), []).append(row.pk)
        for (source, target), pks in groups.items():
            # The rows are locked: the guard on the source state only repeats what the lock ensures.
            machine.model.objects.filter(pk__in=pks, **{machine.field: source}).update(
                **{machine.field: target}
            )
        logs = machine.log_model.objects.bulk_create(
            _log(machine, row, name, actor, sources[row.pk], comment, {}) for row in changed
        )
        for row, log in zip(changed, logs, strict=True):
            _after(machine, row, log)
    for row in changed:
        _remember(machine, given[row.pk], row)
    return changed, refused


def _check_permission(machine, obj, name, actor):
    target = getattr(obj, machine.permission_on) if machine.permission_on else obj
    if not actor.has_perm(machine.permission.format(name=name), target):
        raise PermissionDenied


def _check_request(machine, name, data, changes):
    if name not in machine.transitions:
        raise ValueError(f"{name} is not a transition of {machine.model._meta.model_name}")
    unexpected = set(data) - set(machine.arguments.get(name, ()))
    if unexpected:
        raise ValueError(f"{name} takes no {', '.join(sorted(unexpected))}")
    unexpected = set(changes) - set(machine.changeable_fields.get(name, ()))
    if unexpected:
        raise ValueError(f"{name} cannot change {', '.join(sorted(unexpected))}")


def _locked(machine):
    rows = machine.model.objects.select_for_update(of=("self",))
    if machine.select_related:
        rows = rows.select_related(*machine.select_related)
    return rows


def _reasons(declared, obj, name, actor, comment, data):
    return [
        reason for check in declared.get(name, ()) for reason in check(obj, actor, comment, data)
    ]


def _refusal(machine, locked, given, name, actor, comment, data):
    """Why the locked row refuses the transition: its state (the caller's copy is stale, or the
    machine has no such move from it), else the transition's conditions."""
    if _stale(machine, locked, given, name) or not can_proceed(getattr(locked, name)):
        shown = getattr(locked, f"get_{machine.field}_display")()
        return [str(machine.refused_message) % {machine.field: shown}]
    return _reasons(machine.conditions, locked, name, actor, comment, data)


def _log(machine, obj, name, actor, source, comment, data):
    if not comment and name in machine.comment_argument:
        comment = data.get(machine.comment_argument[name]) or ""
    return machine.log_model(
        **{machine.log_model.subject_field: obj},
        actor=actor,
        name=name,
        source=source,
        target=machine.state(obj),
        comment=comment,
    )


def _stale(machine, locked, given, name):
    """Whether the move was chosen from a state the row has left: the caller's copy shows
    another state than the locked row, one that offers this move too. (A move its copy does not
    offer was not chosen from it: the row alone decides.)"""
    known = _known_state(machine, given)
    offered = getattr(machine.model, name)._django_fsm.has_transition(known)
    return known != machine.state(locked) and offered


def _remember(machine, given, row):
    """Note on the caller's copy the state its transition left the row in, with the state the
    copy still shows: its caller knows of that transition, so the copy is not stale for the next
    one, while a copy read elsewhere before it is, and so is this one once it shows another
    state (read again)."""
    known = getattr(given, _KNOWN, {})
    known[machine.field] = (machine.state(given), machine.state(row))
    setattr(given, _KNOWN, known)


def _known_state(machine, given):
    """The state the caller knows `given` to be in: its own, or the one its last transition
    through the runner left the row in."""
    shown = machine.state(given)
    seen, left = getattr(given, _KNOWN, {}).get(machine.field, (None, None))
    return left if seen == shown else shown


def _after(machine, obj, log):
    if machine.after is not None:
        machine.after(obj, log)
    if machine.notify is not None:
        machine.notify(obj, log)
