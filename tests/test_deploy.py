"""The deployment files: the production stack, the image, the health check, the two commands."""

import os
import shutil
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

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


def test_the_readme_starts_with_the_two_commands():
    first_lines = (ROOT / "README.md").read_text().splitlines()[:8]

    assert any(line.strip() == "make run" for line in first_lines)
    assert any(line.strip() == "make test" for line in first_lines)


def test_make_test_runs_pytest_and_the_suite_loads_the_services_plugin():
    result = subprocess.run(
        ["make", "-n", "test"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert "-m pytest" in result.stdout
    # The plugin that forbids skipped `services` tests in CI is loaded by every pytest run.
    assert 'pytest_plugins = ["tests.services"]' in (ROOT / "tests/conftest.py").read_text()


def test_ci_runs_make_test_against_postgresql_and_redis():
    script = ROOT / ".ci" / "run"
    text = script.read_text()

    assert script.stat().st_mode & stat.S_IXUSR
    assert "export CI=true" in text
    assert "export DATABASE_URL=postgres://postgres@127.0.0.1:5432/essor" in text
    assert "export REDIS_URL=redis://127.0.0.1:6379/0" in text
    assert text.rstrip().endswith("make test")


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
