"""`manage.py restore <folder>`: put a backup back, then fail the e-mails caught mid-send."""

from django.core.management.base import BaseCommand, CommandError

from workers.backup import BackupError, read_manifest, restore


class Command(BaseCommand):
    help = (
        "Replace the database, the public media and the private files with a backup. "
        "Stop the web, worker and beat processes first."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="a folder written by `manage.py backup`")
        parser.add_argument(
            "--files-only",
            action="store_true",
            help="the database was restored separately (e.g. pg_restore in the postgres "
            "container): restore the files and fix the outbox",
        )
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="do not ask for confirmation",
        )

    def handle(self, folder, files_only, interactive, **options):
        try:
            manifest = read_manifest(folder)
            what = "the files" if files_only else "the database and the files"
            if interactive:
                answer = input(
                    f"This replaces {what} with the backup of {manifest['created_at']}.\n"
                    "Type 'yes' to continue, or 'no' to cancel: "
                )
                if answer != "yes":
                    raise CommandError("Restore cancelled.")
            failed = restore(folder, with_database=not files_only)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored {what} from the backup of {manifest['created_at']}.")
        if failed:
            self.stdout.write(
                f"{failed} e-mail(s) were being sent when the backup was taken: they are marked "
                "failed. Check whether they arrived before retrying them in the outbox."
            )
