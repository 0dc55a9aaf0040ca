"""The deployment files: the production stack, the image, the health check, the two commands,
CI's script and the documented settings."""

import json
import os
import re
import shutil
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.test_settings import clean_env

ROOT = Path(__file__).resolve().parent.parent
APP_SERVICES = ["migrate", "web", "worker", "beat"]


@pytest.fixture(scope="module")
def compose():
    yaml = pytest.importorskip("yaml", reason="PyYAML reads docker-compose.yml")
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def env_example_keys():
    keys = set()
    for line in (ROOT / ".env.example").read_text().splitlines():
        line = line.strip().lstrip("#")
        if "=" in line and line.split("=", 1)[0].isupper():
            keys.add(line.split("=", 1)[0])
    return keys


# docker-compose.yml


def test_compose_runs_the_five_services_on_the_compose_specification(compose):
    assert "version" not in compose
    assert {"web", "worker", "beat", "postgres", "redis"} <= set(compose["services"])
    assert compose["services"]["postgres"]["image"] == "postgres:16"
    assert compose["services"]["redis"]["image"] == "redis:7"


def test_compose_services_have_health_checks(compose):
    services = compose["services"]
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    assert services["redis"]["healthcheck"]["test"][-2:] == ["redis-cli", "ping"]
    assert services["web"]["healthcheck"]["test"][1:] == ["python", "scripts/healthcheck.py"]
    assert "inspect ping" in " ".join(services["worker"]["healthcheck"]["test"])


def test_application_services_wait_for_healthy_services_and_migrations(compose):
    services = compose["services"]
    for name in ["web", "worker", "beat"]:
        depends_on = services[name]["depends_on"]
        assert depends_on["postgres"]["condition"] == "service_healthy"
        assert depends_on["redis"]["condition"] == "service_healthy"
        assert depends_on["migrate"]["condition"] == "service_completed_successfully"
    assert services["migrate"]["command"] == ["python", "manage.py", "migrate", "--noinput"]
    assert services["web"]["command"][:2] == ["gunicorn", "essor.wsgi:application"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "workers", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "workers", "beat"]


def test_data_lives_in_named_volumes(compose):
    declared = set(compose["volumes"])

    def named(service):
        mounts = compose["services"][service].get("volumes", [])
        return {mount.split(":")[0]: mount.split(":")[1] for mount in mounts}

    assert named("postgres") == {"postgres-data": "/var/lib/postgresql/data"}
    assert named("redis") == {"redis-data": "/data"}
    assert named("web") == {
        "media": "/var/lib/essor/media",
        "private-files": "/var/lib/essor/private",
    }
    used = set().union(*(named(service) for service in compose["services"]))
    assert used <= declared


def test_application_services_take_their_settings_from_the_environment(compose):
    required = {"SECRET_KEY", "SITE_URL", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"}
    mail = {"EMAIL_URL", "DEFAULT_FROM_EMAIL", "EMAIL_BACKEND"}
    for name in APP_SERVICES:
        service = compose["services"][name]
        # Interpolated from the shell or .env, so `config` is valid even before .env exists.
        assert "env_file" not in service
        assert required | mail <= set(service["environment"])
        assert service["environment"]["ESSOR_PLAIN_STATIC"] == "false"
    assert required | mail | {"POSTGRES_PASSWORD"} <= env_example_keys()


def compose_command():
    docker = shutil.which("docker")
    if docker:
        probe = subprocess.run([docker, "compose", "version"], capture_output=True)
        if probe.returncode == 0:
            return [docker, "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


def test_docker_compose_config_is_valid(tmp_path):
    command = compose_command()
    if command is None:
        if os.environ.get("CI") == "true":
            pytest.fail("docker-compose is missing: .ci/run must install it")
        pytest.skip("neither `docker compose` nor `docker-compose` is installed")
    for name in ["docker-compose.yml", "Dockerfile", ".env.example"]:
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / ".env.example", tmp_path / ".env")

    result = subprocess.run(
        [*command, "config", "-q"], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )

    assert result.returncode == 0, result.stderr


# The image


def test_the_image_installs_the_lock_collects_static_files_and_drops_root():
    dockerfile = (ROOT / "Dockerfile").read_text()
    instructions = [line.split(None, 1) for line in dockerfile.splitlines() if line[:1].isupper()]

    assert instructions[0] == ["FROM", "python:3.11-slim"]
    assert "pip install --requirement requirements/base.lock" in dockerfile
    assert "manage.py collectstatic --noinput" in dockerfile
    users = [value.strip() for keyword, value in instructions if keyword == "USER"]
    assert users and users[-1] not in {"root", "0"}


def test_the_image_leaves_out_local_environments_and_secrets():
    ignored = (ROOT / ".dockerignore").read_text().splitlines()

    assert {".git", ".venv", "var", ".env"} <= set(ignored)


# Health check


def test_the_health_check_answers_ok(client, db):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_the_health_check_is_not_redirected_to_https(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz/").status_code == 200
    assert client.get("/accounts/login/").status_code == 301


def healthcheck(port, site_url="http://localhost"):
    env = {**os.environ, "ESSOR_HEALTHCHECK_PORT": str(port), "SITE_URL": site_url}
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "healthcheck.py")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_container_health_check_script_reports_a_running_site(live_server):
    port = live_server.url.rsplit(":", 1)[1]

    assert healthcheck(port).returncode == 0
    down = healthcheck(free_port())
    assert down.returncode == 1
    assert "unhealthy" in down.stderr


# The two commands


def make_dry_run(target):
    """What `make <target>` would run, without running it."""
    return subprocess.run(
        ["make", "-n", target], cwd=ROOT, capture_output=True, text=True, timeout=60
    )


def test_the_readme_starts_with_the_two_commands():
    readme = (ROOT / "README.md").read_text().splitlines()
    opening = readme.index("```sh")
    first_block = readme[opening + 1 : readme.index("```", opening + 1)]

    assert opening < 8
    assert first_block == ["make run", "make test"]
    for command in first_block:
        result = make_dry_run(command.split()[1])
        assert result.returncode == 0, result.stderr
    assert "scripts/run.py" in make_dry_run("run").stdout


SKIPPING_SERVICES_TESTS = """
import pytest

from tests.services import require_service


@pytest.mark.services
def test_a_service_test_that_skips():
    pytest.skip("no such service here")


@pytest.mark.services
def test_a_service_test_whose_service_is_missing():
    require_service("ESSOR_TEST_NO_SUCH_SERVICE_URL")


def test_an_ordinary_test_that_skips():
    pytest.skip("not for this machine")
"""


def run_services_tests(tmp_path, **variables):
    """Run SKIPPING_SERVICES_TESTS in a pytest of their own, with the services plugin."""
    (tmp_path / "test_skipping.py").write_text(SKIPPING_SERVICES_TESTS)
    (tmp_path / "pytest.ini").write_text("[pytest]\nmarkers =\n    services: needs services\n")
    env = {key: value for key, value in os.environ.items() if key != "CI"}
    env.update(PYTHONPATH=str(ROOT), PYTHONDONTWRITEBYTECODE="1", **variables)
    result = subprocess.run(
        [
            *(sys.executable, "-m", "pytest", "-p", "no:django", "-p", "no:cacheprovider"),
            *("-p", "tests.services", "-q", "-rA", str(tmp_path)),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result.returncode, result.stdout.strip().splitlines()[-1]


def test_make_test_runs_pytest_and_the_suite_loads_the_services_plugin(request, tmp_path):
    result = make_dry_run("test")

    assert result.returncode == 0, result.stderr
    assert "-m pytest" in result.stdout
    # The plugin that forbids skipped `services` tests in CI is loaded by every pytest run:
    # by this one too.
    assert request.config.pluginmanager.hasplugin("tests.services")
    # Where it is loaded, a `services` test that skips in CI fails; anywhere else it skips.
    status, summary = run_services_tests(tmp_path, CI="true")
    assert status == 1
    assert summary.startswith("2 failed, 1 skipped in ")
    status, summary = run_services_tests(tmp_path)
    assert status == 0
    assert summary.startswith("3 skipped in ")


# Stand-ins for the commands .ci/run calls: each one writes down how it was called.
RECORDER = """#!/usr/bin/env bash
echo "$(basename "$0") $*" >> "$CI_RECORD/calls"
"""
STAND_INS = {
    # Records what CI asks of the suite, and fails as the suite would when MAKE_STATUS says so.
    "make": RECORDER
    + """{ echo "cwd=$PWD"; echo "CI=${CI-}"; echo "DATABASE_URL=${DATABASE_URL-}"
  echo "REDIS_URL=${REDIS_URL-}"; } > "$CI_RECORD/make"
exit "${MAKE_STATUS:-0}"
""",
    # The services answer once started (or at once when SERVICES_UP says they were running).
    "pg_isready": RECORDER + '[ -n "${SERVICES_UP-}" ] || [ -e "$CI_RECORD/postgres" ]\n',
    "redis-cli": RECORDER + '[ -n "${SERVICES_UP-}" ] || [ -e "$CI_RECORD/redis" ]\n',
    "pg_ctlcluster": RECORDER + 'touch "$CI_RECORD/postgres"\n',
    "redis-server": RECORDER + 'touch "$CI_RECORD/redis"\n',
    # Installing nothing and creating no folder: what CI would set up is the machine's business.
    "apt-get": RECORDER,
    "mkdir": RECORDER,
    "docker-compose": RECORDER,
    "xgettext": RECORDER,
}


def run_ci(tmp_path, **variables):
    """Run .ci/run with stand-ins for make, the services and apt-get; return its exit status,
    what `make` was asked (with its environment) and the list of calls."""
    stand_ins, record = tmp_path / "bin", tmp_path / "record"
    stand_ins.mkdir()
    record.mkdir()
    for name, script in STAND_INS.items():
        (stand_ins / name).write_text(script)
        (stand_ins / name).chmod(0o755)
    # A shell's environment, without whatever CI, DATABASE_URL or REDIS_URL this run has.
    env = {
        "PATH": f"{stand_ins}:{os.environ['PATH']}",
        "HOME": str(tmp_path),
        "CI_RECORD": str(record),
        **variables,
    }
    result = subprocess.run(
        ["bash", str(ROOT / ".ci" / "run")],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
    made = (record / "make").read_text().splitlines() if (record / "make").exists() else []
    calls = (record / "calls").read_text().splitlines()
    return result.returncode, made, calls


def test_ci_runs_make_test_against_postgresql_and_redis(tmp_path):
    assert (ROOT / ".ci" / "run").stat().st_mode & stat.S_IXUSR

    status, made, calls = run_ci(tmp_path, SERVICES_UP="yes")

    assert status == 0
    assert made == [
        f"cwd={ROOT}",
        "CI=true",
        "DATABASE_URL=postgres://postgres@127.0.0.1:5432/essor",
        "REDIS_URL=redis://127.0.0.1:6379/0",
    ]
    assert calls[-1] == "make test"
    assert not any(call.split()[0] in {"pg_ctlcluster", "redis-server"} for call in calls)


def test_ci_starts_stopped_services_before_the_suite_and_fails_with_it(tmp_path):
    status, made, calls = run_ci(tmp_path, MAKE_STATUS="2")

    assert status == 2
    assert "CI=true" in made
    started = [call.split()[0] for call in calls if call.split()[0] in STAND_INS]
    assert started.index("pg_ctlcluster") < started.index("make")
    assert started.index("redis-server") < started.index("make")
    redis_server = next(call for call in calls if call.startswith("redis-server "))
    assert "--port 6379" in redis_server
    assert calls[-1] == "make test"


# The documented settings

# Imports the settings and prints the environment variables they read (by name, not by value).
READ_VARIABLES = """
import collections.abc, json, os, environ

class Reads(collections.abc.MutableMapping):
    def __init__(self, data):
        self.data, self.names = data, set()
    def __getitem__(self, name):
        self.names.add(name)
        return self.data[name]
    def __contains__(self, name):
        self.names.add(name)
        return name in self.data
    def __setitem__(self, name, value):
        self.data[name] = value
    def __delitem__(self, name):
        del self.data[name]
    def __iter__(self):
        return iter(self.data)
    def __len__(self):
        return len(self.data)
    def items(self):  # a prefix scan (ANYMAIL_*) reads no one variable in particular
        return self.data.items()

environ.Env.ENVIRON = Reads(os.environ)
import essor.settings
print(json.dumps(sorted(environ.Env.ENVIRON.names)))
"""


def variables_read_by_the_settings(tmp_path, **variables):
    result = subprocess.run(
        [sys.executable, "-c", READ_VARIABLES],
        cwd=ROOT,
        env=clean_env(tmp_path, **variables),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def documented_variables():
    """The variables named in the first column of the README's configuration table."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([A-Z0-9_*]+)` \|", section, flags=re.MULTILINE))


def test_the_readme_documents_every_variable_the_settings_read(tmp_path):
    read = variables_read_by_the_settings(tmp_path) | variables_read_by_the_settings(
        tmp_path,
        DATABASE_URL="postgres://essor:secret@127.0.0.1:5432/essor",
        REDIS_URL="redis://127.0.0.1:6379/0",
        SITE_URL="https://essor.example.org",
        EMAIL_URL="smtp+tls://user:secret@smtp.example.org:587",
    )

    assert {"ESSOR_TRUSTED_PROXY_COUNT", "ESSOR_VAR_DIR", "DATABASE_URL"} <= read
    assert read - documented_variables() == set()


def test_make_run_refuses_a_port_in_use():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "scripts/run.py", "--check-port", "--port", str(port)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )

    assert result.returncode == 2
    assert "make run PORT=" in result.stderr
    free = subprocess.run(
        [sys.executable, "scripts/run.py", "--check-port", "--port", str(free_port())],
        cwd=ROOT,
        capture_output=True,
        timeout=60,
    )
    assert free.returncode == 0
