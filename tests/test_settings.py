"""Settings come from the environment: each case starts a fresh Python process with a chosen
environment, as a deployment would."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

import essor.settings as project_settings
from tests.services import require_service

BASE_DIR = Path(__file__).resolve().parent.parent

PRODUCTION = {
    "SECRET_KEY": secrets.token_urlsafe(50),
    "SITE_URL": "https://essor.example.org",
    "ALLOWED_HOSTS": "essor.example.org",
    "ESSOR_PLAIN_STATIC": "false",
}


def clean_env(tmp_path, **variables):
    """Only what a shell gives, no developer .env, a private var/ folder, plus `variables`."""
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    env.update(
        ESSOR_ENV_FILE=str(tmp_path / "no.env"),
        ESSOR_VAR_DIR=str(tmp_path / "var"),
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.update(variables)
    return env


def settings_in(tmp_path, *names, **variables):
    """Read settings `names` in a fresh process started with the given environment."""
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}, default=str))"
    )
    env = clean_env(tmp_path, DJANGO_SETTINGS_MODULE="essor.settings", **variables)
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def manage(tmp_path, *args, **variables):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=clean_env(tmp_path, **variables),
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_debug_is_off_unless_asked_for(tmp_path):
    assert settings_in(tmp_path, "DEBUG")["DEBUG"] is False
    assert settings_in(tmp_path, "DEBUG", DEBUG="true")["DEBUG"] is True


def test_french_first_paris_time():
    # The project's own values (the test suite itself runs in English).
    assert project_settings.LANGUAGE_CODE == "fr"
    assert [code for code, _name in project_settings.LANGUAGES] == ["fr", "en"]
    assert project_settings.TIME_ZONE == "Europe/Paris"
    assert project_settings.CELERY_TIMEZONE == "Europe/Paris"
    assert project_settings.USE_TZ is True


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)

    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_check_deploy_refuses_the_embedded_default_secret_key(tmp_path):
    production_without_key = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}

    result = manage(
        tmp_path, "check", "--deploy", "--fail-level", "WARNING", **production_without_key
    )

    assert result.returncode != 0
    assert "security.W009" in result.stderr


def test_production_is_https_only(tmp_path):
    values = settings_in(
        tmp_path,
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
        "CSRF_TRUSTED_ORIGINS",
        "ACCOUNT_DEFAULT_HTTP_PROTOCOL",
        **PRODUCTION,
    )

    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["CSRF_TRUSTED_ORIGINS"] == ["https://essor.example.org"]
    assert values["ACCOUNT_DEFAULT_HTTP_PROTOCOL"] == "https"


def test_production_static_files_are_compressed_with_a_manifest(tmp_path):
    production = settings_in(tmp_path, "STORAGES", **PRODUCTION)
    embedded = settings_in(tmp_path, "STORAGES")

    assert production["STORAGES"]["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    assert embedded["STORAGES"]["staticfiles"]["BACKEND"] == (
        "django.contrib.staticfiles.storage.StaticFilesStorage"
    )


def test_the_embedded_run_needs_no_server(tmp_path):
    values = settings_in(tmp_path, "DATABASES", "CELERY_BROKER_URL", "CACHES")

    assert values["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert values["DATABASES"]["default"]["NAME"] == str(tmp_path / "var" / "essor.sqlite3")
    assert values["CELERY_BROKER_URL"] == "filesystem://"
    assert (tmp_path / "var" / "broker" / "queue").is_dir()
    assert "locmem" in values["CACHES"]["default"]["BACKEND"]


def test_database_url_and_redis_url_switch_to_real_services(tmp_path):
    values = settings_in(
        tmp_path,
        "DATABASES",
        "CELERY_BROKER_URL",
        "CACHES",
        "SESSION_ENGINE",
        DATABASE_URL="postgres://postgres@db.internal:5432/essor",
        REDIS_URL="redis://cache.internal:6379/0",
    )

    database = values["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["NAME"], database["USER"]) == (
        "db.internal",
        "essor",
        "postgres",
    )
    assert values["CELERY_BROKER_URL"] == "redis://cache.internal:6379/0"
    assert values["CACHES"]["default"]["LOCATION"] == "redis://cache.internal:6379/0"
    # Sessions stay in the database: a Redis outage must not log everybody out.
    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"


def test_email_settings_come_from_email_url(tmp_path):
    values = settings_in(
        tmp_path,
        "EMAIL_BACKEND",
        "EMAIL_HOST",
        "EMAIL_PORT",
        "EMAIL_USE_TLS",
        "DEFAULT_FROM_EMAIL",
        EMAIL_URL="smtp+tls://mailer:secret@smtp.example.org:587",
        DEFAULT_FROM_EMAIL="Essor <essor@example.org>",
    )

    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (values["EMAIL_HOST"], values["EMAIL_PORT"]) == ("smtp.example.org", 587)
    assert values["EMAIL_USE_TLS"] is True
    assert values["DEFAULT_FROM_EMAIL"] == "Essor <essor@example.org>"


@pytest.mark.services
@pytest.mark.django_db
def test_ci_runs_on_postgresql():
    require_service("DATABASE_URL")

    assert connection.vendor == "postgresql"
