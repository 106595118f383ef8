"""`manage.py backup DIR`: dump the database and the photos into a new folder under DIR."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newsroom.backups import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and every stored photo into a new folder under DIR."

    def add_arguments(self, parser):
        parser.add_argument("destination", type=Path, help="Folder that receives the backup.")

    def handle(self, *args, destination: Path, **options) -> None:
        try:
            folder = backup(destination)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from None
        manifest = (folder / "manifest.json").read_text()
        self.stdout.write(f"Backed up to {folder}\n{manifest}")
