"""Write docs/state-machines.md from the dossier, journey and obstacle state machines."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from cms.domain.diagrams import document

DOCUMENT = Path(settings.BASE_DIR) / "docs" / "state-machines.md"


class Command(BaseCommand):
    help = "Draw the state machines (Mermaid) into docs/state-machines.md."

    def handle(self, *args, **options):
        DOCUMENT.write_text(document(), encoding="utf-8")
        self.stdout.write(f"Wrote {DOCUMENT.relative_to(settings.BASE_DIR)}")
