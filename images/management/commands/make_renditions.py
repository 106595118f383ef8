"""Make photos' resized copies here and now, without waiting for the task worker."""

from django.core.management.base import BaseCommand, CommandError

from images.models import Image
from images.renditions import make_renditions


class Command(BaseCommand):
    help = (
        "Make the resized copies of the photos that have none (being prepared, or failed), "
        "in this process; the task worker normally does it after each upload. Run it after "
        "upgrading, or where no worker runs. --all makes every photo's copies again."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--all", action="store_true", help="Make the copies of every photo again."
        )
        parser.add_argument("--dry-run", action="store_true", help="List the photos, make nothing.")

    def handle(self, *args, **options) -> None:
        photos = Image.objects.order_by("pk")
        if not options["all"]:
            photos = photos.exclude(renditions_status=Image.RenditionStatus.READY)
        failed = 0
        for image in photos.iterator():
            if options["dry_run"]:
                self.stdout.write(f"Would make the copies of photo {image.pk}: {image}")
                continue
            # Each photo is recorded (and its stories purged) in a transaction of its own.
            outcome = make_renditions(image)
            self.stdout.write(f"Photo {image.pk}: {outcome}")
            if image.renditions_status == Image.RenditionStatus.FAILED:
                failed += 1
        if failed:
            raise CommandError(f"The copies of {failed} photo(s) could not be made (see above).")
