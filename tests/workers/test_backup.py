"""Backup and restore (`manage.py backup` / `restore`): the database and both files folders come
back as they were, and an e-mail caught mid-send by the backup is never sent a second time."""

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from django.utils import timezone

from accelerator.models import Structure
from tests import factories
from tests.services import require_service
from tests.test_settings import clean_env
from workers import outbox
from workers.models import OutboxMessage, OutboxStatus

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def make_message(key, status):
    return OutboxMessage.objects.create(
        key=key,
        to=f"{key}@example.org",
        language="en",
        subject=key,
        body_text="Hello.",
        status=status,
        claimed_at=timezone.now() if status == OutboxStatus.SENDING else None,
    )


def read(storage_alias, name):
    with storages[storage_alias].open(name) as opened:
        return opened.read()


@pytest.mark.django_db(transaction=True)
def test_a_restore_brings_back_data_and_files_and_fails_what_was_being_sent(tmp_path):
    structure = factories.StructureFactory(name="L'Atelier")
    sending = make_message("sending", OutboxStatus.SENDING)
    pending = make_message("pending", OutboxStatus.PENDING)
    public, private = storages["default"], storages["private"]
    public.save("images/logo.png", ContentFile(b"logo"))
    private.save("dossiers/1/budget.pdf", ContentFile(b"budget v1"))
    call_command("backup", str(tmp_path / "backup"))

    # Life goes on, then the disaster: the backup is all that is left.
    Structure.objects.filter(pk=structure.pk).update(name="Renamed")
    factories.StructureFactory(name="Created after the backup")
    OutboxMessage.objects.filter(pk=sending.pk).update(status=OutboxStatus.SENT)
    public.delete("images/logo.png")
    private.delete("dossiers/1/budget.pdf")
    private.save("dossiers/1/budget.pdf", ContentFile(b"budget v2"))
    private.save("dossiers/2/later.pdf", ContentFile(b"later"))
    call_command("restore", str(tmp_path / "backup"), "--noinput")

    assert list(Structure.objects.values_list("name", flat=True)) == ["L'Atelier"]
    assert read("default", "images/logo.png") == b"logo"
    assert read("private", "dossiers/1/budget.pdf") == b"budget v1"
    assert not private.exists("dossiers/2")
    sending.refresh_from_db()
    assert sending.status == OutboxStatus.FAILED
    assert sending.last_error == outbox.RESTORED_WHILE_SENDING
    pending.refresh_from_db()
    assert pending.status == OutboxStatus.PENDING
    # The flush sends what had not been sent, never what may have been.
    assert outbox.flush() == 1
    assert [m.to for m in mail.outbox] == [[pending.to]]


@pytest.mark.django_db(transaction=True)
def test_an_incomplete_backup_is_refused_before_anything_is_replaced(tmp_path):
    factories.StructureFactory(name="Before")
    call_command("backup", str(tmp_path / "backup"))
    (tmp_path / "backup" / "private.tar.gz").unlink()
    factories.StructureFactory(name="After")

    with pytest.raises(CommandError, match="private.tar.gz missing"):
        call_command("restore", str(tmp_path / "backup"), "--noinput")
    with pytest.raises(CommandError, match="already holds a backup"):
        call_command("backup", str(tmp_path / "backup"))

    assert Structure.objects.count() == 2


# PostgreSQL: pg_dump and pg_restore, in fresh processes, on a database of the test's own.

DATABASE = "essor_backup_test"


def run_manage(env, *args):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    return result.stdout


def shell(env, code):
    return run_manage(env, "shell", "-c", code)


@pytest.fixture
def own_postgresql_database(django_db_setup):
    """A database of the test's own, copied from the migrated test database when no one else
    is connected to it (a second instead of a minute of migrations), else created empty."""
    import psycopg
    from django.db import connection

    url = urlsplit(require_service("DATABASE_URL"))
    admin_url = urlunsplit(url._replace(path="/postgres"))
    migrated = connection.settings_dict["NAME"] if connection.vendor == "postgresql" else None

    def recreate(create):
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
            if not create:
                return
            if migrated:
                connection.close()
                try:
                    admin.execute(f'CREATE DATABASE {DATABASE} TEMPLATE "{migrated}"')
                    return
                except psycopg.errors.ObjectInUse:
                    pass  # a live server's thread still holds a connection: migrate instead
            admin.execute(f"CREATE DATABASE {DATABASE}")

    recreate(create=True)
    yield urlunsplit(url._replace(path=f"/{DATABASE}"))
    recreate(create=False)


STATE = """
import json
from pathlib import Path
from django.conf import settings
from workers.models import OutboxMessage
rows = dict(OutboxMessage.objects.values_list("key", "status"))
errors = dict(OutboxMessage.objects.values_list("key", "last_error"))
files = sorted(
    str(p.relative_to(settings.PRIVATE_MEDIA_ROOT)) + "=" + p.read_text()
    for p in Path(settings.PRIVATE_MEDIA_ROOT).rglob("*") if p.is_file()
)
print(json.dumps({"rows": rows, "errors": errors, "files": files}))
"""


def state(env):
    return json.loads(shell(env, STATE).strip().splitlines()[-1])


@pytest.mark.services
def test_a_postgresql_backup_restores_with_pg_restore(tmp_path, own_postgresql_database):
    env = clean_env(
        tmp_path,
        DATABASE_URL=own_postgresql_database,
        MEDIA_ROOT=str(tmp_path / "media"),
        PRIVATE_MEDIA_ROOT=str(tmp_path / "private"),
    )
    run_manage(env, "migrate", "--noinput")
    shell(
        env,
        "from django.utils import timezone; from workers.models import OutboxMessage as M; "
        "M.objects.create(key='sending', to='a@example.org', language='en', subject='s', "
        "body_text='b', status='sending', claimed_at=timezone.now()); "
        "M.objects.create(key='pending', to='b@example.org', language='en', subject='p', "
        "body_text='b')",
    )
    (tmp_path / "private" / "dossiers").mkdir(parents=True)
    (tmp_path / "private" / "dossiers" / "budget.pdf").write_text("v1")
    run_manage(env, "backup", str(tmp_path / "backup"))
    assert (tmp_path / "backup" / "database.dump").read_bytes().startswith(b"PGDMP")

    shell(env, "from workers.models import OutboxMessage as M; M.objects.all().delete()")
    (tmp_path / "private" / "dossiers" / "budget.pdf").write_text("v2")
    (tmp_path / "private" / "later.pdf").write_text("later")
    output = run_manage(env, "restore", str(tmp_path / "backup"), "--noinput")

    assert "1 e-mail(s) were being sent" in output
    restored = state(env)
    assert restored["rows"] == {"sending": "failed", "pending": "pending"}
    assert restored["errors"]["sending"] == outbox.RESTORED_WHILE_SENDING
    assert restored["files"] == ["dossiers/budget.pdf=v1"]
