"""The access matrix: every URL of the project, for every kind of person, answers what
tests/access/matrix.md says (the policy: DESIGN.md "Who uses it"), and a refused request changes
nothing. A URL pattern with no row in the table fails the suite, so no page is added without
deciding who may see it.
"""

import inspect
import logging
import re
import time
from collections import defaultdict
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import LocalePrefixPattern, URLPattern, URLResolver, get_resolver, resolve, reverse

from tests.access.world import DEFAULT_KWARGS, KWARGS, ROLES, build_world, kwarg_value
from tests.module_settings import module_settings

MATRIX = Path(__file__).with_name("matrix.md")
# Third-party trees (allauth, the two admins, Wagtail's documents and pages): one or a few rows
# each, on their entry URLs; such a row is named by its path ("/admin/").
PAGES = "(Wagtail pages)"
# A refusal writes nothing; "302 unchanged" (or "200 unchanged") is a refusal in place, with a
# message, that must write nothing either.
REFUSALS = {"401", "403", "404", "405", "login"}
CELL = re.compile(r"(200|204|302|400|401|403|404|405|login)( unchanged)?")
HEADER = ["URL name", "method", "route", *ROLES]


# --- the table -------------------------------------------------------------------------------


def read_matrix(text=None):
    """{(row name, method): {"route": ..., role: cell}} from the Markdown tables of matrix.md."""
    text = MATRIX.read_text(encoding="utf-8") if text is None else text
    rows, problems = {}, []
    in_matrix = False
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("|"):
            in_matrix = False
            continue
        cells = [cell.strip().strip("`") for cell in line.strip().strip("|").split("|")]
        if cells[0] == "URL name":
            in_matrix = True
            if cells != HEADER:
                problems.append(f"line {number}: the header must be {' | '.join(HEADER)}")
            continue
        if not in_matrix or set(line) <= set("|-: "):
            # The legend's tables, and the line under a header.
            continue
        if len(cells) != len(HEADER):
            problems.append(f"line {number}: expected {len(HEADER)} cells, found {len(cells)}")
            continue
        name, method, route, *values = cells
        key = (name, method)
        if key in rows:
            problems.append(f"line {number}: {name} {method} appears twice")
        if method not in ("GET", "POST"):
            problems.append(f"line {number}: method must be GET or POST, not {method!r}")
        for role, value in zip(ROLES, values, strict=True):
            if not CELL.fullmatch(value):
                problems.append(f"line {number}: {role} has {value!r}, not a cell value")
        rows[key] = {"route": route, **dict(zip(ROLES, values, strict=True))}
    return rows, problems


# --- the URL patterns ------------------------------------------------------------------------

PROJECT_PACKAGES = ("accelerator", "applications", "cms", "workers")


def _module_name(urlconf):
    return urlconf if isinstance(urlconf, str) else getattr(urlconf, "__name__", "")


def _walk(resolver, prefix="", namespace="", tree=None):
    """(name, route, callback, tree) of every pattern; `tree` is the route prefix of the
    third-party include a pattern comes from (allauth, the admins, Wagtail), None for ours."""
    for pattern in resolver.url_patterns:
        # Regular-expression patterns start with "^", which `resolve()` leaves out of its route.
        route = prefix + str(pattern.pattern).removeprefix("^")
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            if isinstance(pattern.pattern, LocalePrefixPattern):
                # i18n_patterns: the public site's addresses, once per language (essor/urls.py).
                yield from _walk(pattern, route, inner, tree)
                continue
            module = _module_name(pattern.urlconf_name)
            ours = module.split(".")[0] in PROJECT_PACKAGES
            yield from _walk(pattern, route, inner, tree or (None if ours else route or PAGES))
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield name or route, route, pattern.callback, tree


def url_patterns():
    """(project patterns {name: (route, callback)}, the third-party trees {prefix})."""
    project, trees = {}, set()
    for name, route, callback, tree in _walk(get_resolver()):
        if tree:
            trees.add(tree)
        else:
            project[name] = (route, callback)
    return project, trees


def tree_of_path(path):
    """The third-party tree that serves `path` (None when a project pattern does)."""
    match = resolve(path)
    for _name, route, _callback, tree in _walk(get_resolver()):
        if tree and route == match.route.removeprefix("^"):
            return tree
    return None


def handles_post(callback):
    """Whether a view reads POST (a form or an action): its source mentions it."""
    view = inspect.unwrap(getattr(callback, "view_class", callback))
    try:
        return "POST" in inspect.getsource(view)
    except (OSError, TypeError):
        return False


def display_route(route):
    """`structures/<int:pk>/` is shown as `structures/<pk>/` in the table."""
    return re.sub(r"<(?:\w+:)?(\w+)>", r"<\1>", route)


def _base_name(row_name):
    return row_name.split(" [", 1)[0]


# --- requests --------------------------------------------------------------------------------


def url_of(world, row_name, route):
    """The URL a row is tested on; raises LookupError naming a keyword it cannot fill."""
    if row_name.startswith("/"):
        return re.sub(r"\{([\w.]+)\}", lambda m: str(kwarg_value(world, m.group(1))), row_name)
    base = _base_name(row_name)
    specs = KWARGS.get(row_name, {})
    kwargs = {}
    for kwarg in re.findall(r"<(?:\w+:)?(\w+)>", route):
        spec = specs.get(kwarg) or DEFAULT_KWARGS.get(kwarg)
        if spec is None:
            raise LookupError(f"no value for the keyword {kwarg!r} of {row_name}: add it to KWARGS")
        kwargs[kwarg] = kwarg_value(world, spec)
    if ":" in base or base.isidentifier():
        return reverse(base, kwargs=kwargs)
    return "/" + route


def outcome(response):
    """A response as the table writes it."""
    if response.status_code in (301, 302, 303, 307, 308):
        location = response.headers.get("Location", "")
        return "login" if location.startswith(reverse("account_login")) else "302"
    return str(response.status_code)


def _changes():
    """How many rows this connection has written so far: a refusal must add none."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The current transaction's own counts, savepoints rolled back included.
            cursor.execute(
                "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) "
                "FROM pg_stat_xact_user_tables"
            )
        else:
            cursor.execute("SELECT total_changes()")
        return cursor.fetchone()[0]


def ask(client, cookies, method, url):
    """One request in a savepoint rolled back afterwards, so the world stays as built; returns
    (outcome, rows written)."""
    client.cookies = cookies.__class__(cookies)
    with transaction.atomic():
        before = _changes()
        response = client.get(url) if method == "GET" else client.post(url, {})
        written = _changes() - before
        transaction.set_rollback(True)
    # No response.close() here: the test client already closed it, and closing again fires
    # request_finished, which closes a PostgreSQL connection that is inside a transaction.
    return outcome(response), written


# --- fixtures --------------------------------------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def _isolated_media(tmp_path_factory):
    """The module's files live in one temporary folder for the whole matrix (this replaces the
    suite's per-test folder, which would lose the world's files after the first test)."""
    with module_settings(tmp_path_factory.mktemp("access")):
        yield


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, _isolated_media):
    """The world, built once for the module and rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        started = time.monotonic()
        built = build_world()
        print(f"access matrix: the world is built in {time.monotonic() - started:.1f}s")
        yield built
        transaction.set_rollback(True)


# --- the tests -------------------------------------------------------------------------------


def test_the_table_is_well_formed():
    _rows, problems = read_matrix()
    assert not problems, "\n".join(problems)


def test_every_url_pattern_has_a_row():
    rows, _problems = read_matrix()
    project, trees = url_patterns()
    methods = defaultdict(set)
    for name, method in rows:
        methods[_base_name(name)].add(method)
    missing = [
        f"{name} {method}  ({display_route(route)})"
        for name, (route, callback) in project.items()
        for method in ("GET", "POST")
        if method not in methods[name] and (method == "GET" or handles_post(callback))
    ]
    assert not missing, (
        "These URL patterns have no row in tests/access/matrix.md: decide who may see them "
        "(and who may post to them) and add the rows:\n  " + "\n  ".join(sorted(missing))
    )
    wrong_route = [
        f"{name}: the table says {row['route']!r}, the URL is {display_route(route)!r}"
        for (name, _method), row in rows.items()
        if _base_name(name) in project
        for route in [project[_base_name(name)][0]]
        if row["route"] != display_route(route)
    ]
    assert not wrong_route, "\n".join(wrong_route)
    stale = sorted(
        {name for name, _m in rows if not name.startswith("/") and _base_name(name) not in project}
    )
    assert not stale, f"These rows name no URL pattern any more: {stale}"
    tested = {
        tree_of_path(re.sub(r"\{[\w.]+\}", "1", name).split("?", 1)[0])
        for name, _m in rows
        if name[0] == "/"
    }
    assert trees <= tested, f"No row tests these third-party trees: {sorted(trees - tested)}"


def _check_every_cell(world, rows, clients):
    """(mismatches, keywords that could not be filled, {(row, method): {role: outcome}})."""
    mismatches, unfillable, observed = [], [], defaultdict(dict)
    for (name, method), row in rows.items():
        try:
            url = url_of(world, name, row["route"])
        except LookupError as error:
            unfillable.append(str(error))
            continue
        for role in ROLES:
            client, cookies = clients[role]
            got, written = ask(client, cookies, method, url)
            observed[(name, method)][role] = got
            expected = row[role]
            status, _space, note = expected.partition(" ")
            if got != status:
                mismatches.append((name, method, role, expected, got))
            elif (status in REFUSALS or note == "unchanged") and written:
                mismatches.append((name, method, role, expected, f"{got}, wrote {written} rows"))
    return mismatches, unfillable, observed


def _diff_table(mismatches):
    width = max(len(f"{name} {method}") for name, method, *_rest in mismatches)
    lines = [f"{'URL':<{width}}  {'role':<10} {'expected':<15} got"]
    lines += [
        f"{name + ' ' + method:<{width}}  {role:<10} {expected:<15} {got}"
        for name, method, role, expected, got in mismatches
    ]
    return "\n".join(lines)


@pytest.mark.django_db
def test_access_matrix(world):
    """Every cell of the table, against the real views."""
    rows, problems = read_matrix()
    assert not problems, "\n".join(problems)
    started, cpu_started = time.monotonic(), time.process_time()
    clients = {}
    for role, user in world.people.items():
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        clients[role] = (client, client.cookies.__class__(client.cookies))
    # 403 and 404 are logged as warnings with a traceback: hundreds of them here, all expected.
    request_log = logging.getLogger("django.request")
    previous_level = request_log.level
    request_log.setLevel(logging.ERROR)
    try:
        mismatches, unfillable, observed = _check_every_cell(world, rows, clients)
    finally:
        request_log.setLevel(previous_level)
    cells = sum(len(cells) for cells in observed.values())
    print(
        f"access matrix: {len(rows)} rows × {len(ROLES)} roles = {cells} cells in "
        f"{time.monotonic() - started:.1f}s ({time.process_time() - cpu_started:.1f}s of CPU)"
    )
    assert not unfillable, "\n".join(unfillable)
    if mismatches:
        pytest.fail(
            f"{len(mismatches)} of {cells} cells differ from tests/access/matrix.md:\n"
            + _diff_table(mismatches),
            pytrace=False,
        )
