"""Back up and restore what Essor cannot rebuild: the database, the public media and the private
files (dossier attachments). Imports no domain code: it copies the database and folders whole.

A backup is a folder: the database in its engine's native format (SQLite's online backup, a
`pg_dump` custom archive for PostgreSQL), one tar archive per files folder, and a manifest.
Restoring replaces the database and the folders' contents, then fails the e-mails that were
being sent when the backup was taken (see `outbox.fail_sends_caught_by_a_backup`).
See docs/backup.md.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.core.files.storage import storages
from django.db import connection, connections
from django.utils import timezone

from workers import outbox

MANIFEST = "manifest.json"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
# Storage alias: the folder's name in the backup.
FOLDERS = {"default": "media", "private": "private"}


class BackupError(Exception):
    pass


def folders():
    """The files folders to keep, by their name in the backup: public media and private files."""
    return {name: Path(storages[alias].location) for alias, name in FOLDERS.items()}


def backup(directory, *, with_database=True):
    """Write a backup into `directory` (created if needed, refused if it holds one already)."""
    directory = Path(directory)
    if (directory / MANIFEST).exists():
        raise BackupError(f"{directory} already holds a backup: choose an empty folder.")
    directory.mkdir(parents=True, exist_ok=True)
    database = None
    if with_database:
        database = _database_file()
        _dump_database(directory / database)
    for name, root in folders().items():
        _archive(root, directory / f"{name}.tar.gz")
    manifest = {
        "created_at": timezone.now().isoformat(),
        "database": database,
        "folders": sorted(folders()),
    }
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def restore(directory, *, with_database=True):
    """Replace the database and the files with the backup in `directory`.

    Returns how many messages were failed because they were being sent at backup time."""
    directory = Path(directory)
    manifest = read_manifest(directory)
    if with_database:
        database = manifest.get("database")
        if database != _database_file():
            raise BackupError(
                f"This backup holds the database as {database!r}; this site needs "
                f"{_database_file()!r} (a backup restores into the same kind of database)."
            )
    expected = [f"{name}.tar.gz" for name in manifest["folders"]]
    if with_database:
        expected.append(manifest["database"])
    missing = [name for name in expected if not (directory / name).is_file()]
    if missing:
        raise BackupError(f"The backup in {directory} is incomplete: {', '.join(missing)} missing.")
    if with_database:
        _load_database(directory / manifest["database"])
    for name, root in folders().items():
        if name in manifest["folders"]:
            _unarchive(directory / f"{name}.tar.gz", root)
    return outbox.fail_sends_caught_by_a_backup()


def read_manifest(directory):
    path = Path(directory) / MANIFEST
    if not path.is_file():
        raise BackupError(f"No backup in {directory} ({MANIFEST} is missing).")
    return json.loads(path.read_text())


def _database_file():
    try:
        return DATABASE_FILES[connection.vendor]
    except KeyError:
        raise BackupError(f"No backup procedure for a {connection.vendor} database.") from None


def _dump_database(path):
    if connection.vendor == "sqlite":
        # SQLite's online backup: a consistent copy even while the site writes (WAL).
        connection.ensure_connection()
        copy = sqlite3.connect(path)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
    else:
        _run_postgresql("pg_dump", "--format=custom", "--no-owner", f"--file={path}")


def _load_database(path):
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(path)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        # Our own connections would hold locks that pg_restore's DROP waits for.
        connections.close_all()
        _run_postgresql(
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={connection.settings_dict['NAME']}",
            str(path),
        )


def _run_postgresql(program, *arguments):
    if shutil.which(program) is None:
        raise BackupError(f"{program} is not installed (PostgreSQL's client programs).")
    database = connection.settings_dict
    env = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if database.get(key):
            env[variable] = str(database[key])
    result = subprocess.run([program, *arguments], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{program} failed: {result.stderr.strip()}")


def _archive(root, path):
    with tarfile.open(path, "w:gz") as archive:
        if root.is_dir():
            for child in sorted(root.iterdir()):
                archive.add(child, arcname=child.name)


def _unarchive(path, root):
    """Empty `root` (kept itself: it is often a mounted volume) and fill it from the archive."""
    root.mkdir(parents=True, exist_ok=True)
    for child in root.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    with tarfile.open(path, "r:gz") as archive:
        # "data": no absolute paths, no links out of the folder, no device files.
        archive.extractall(root, filter="data")
