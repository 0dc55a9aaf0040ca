"""`manage.py backup <folder>`: the database, public media and private files, into one folder."""

from django.core.management.base import BaseCommand, CommandError

from workers.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database, the public media and the private files into an empty folder."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="where to write the backup (empty or new)")
        parser.add_argument(
            "--files-only",
            action="store_true",
            help="leave the database out (dumped separately, e.g. by the postgres container)",
        )

    def handle(self, folder, files_only, **options):
        try:
            manifest = backup(folder, with_database=not files_only)
        except BackupError as error:
            raise CommandError(str(error)) from error
        written = [manifest["database"]] if manifest["database"] else []
        written += [f"{name}.tar.gz" for name in manifest["folders"]]
        self.stdout.write(f"Backup of {manifest['created_at']} written to {folder}:")
        for name in written:
            self.stdout.write(f"  {name}")
