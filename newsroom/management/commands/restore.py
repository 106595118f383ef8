"""`manage.py restore FOLDER`: restore a backup into this instance's empty database."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newsroom.backups import BackupError, counts, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into an empty database (DATABASE_URL) "
        "and the photo storage (MEDIA_ROOT), then compare what arrived with the manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="A folder written by `manage.py backup`.")

    def handle(self, *args, folder: Path, **options) -> None:
        try:
            manifest = restore(folder)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from None
        restored = counts()
        if restored != manifest["counts"]:
            raise CommandError(
                f"Restored {json.dumps(restored)}, but the backup holds "
                f"{json.dumps(manifest['counts'])}."
            )
        self.stdout.write(
            f"Restored {folder}: {restored['stories']} stories "
            f"({restored['published_stories']} published), {restored['photos']} photos, "
            f"{manifest['media_files']} stored files."
        )
