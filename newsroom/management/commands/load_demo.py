"""Load the demo newsroom: sources, sections, writers, topics, stories and their photos."""

from datetime import timedelta

import reversion
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.html import format_html_join
from reversion.models import Revision, Version

from articles import workflow
from articles.models import Article, ArticleTransition, Section
from images.models import Image
from images.renditions import make_renditions, rendition_folder
from newsroom import demo
from newsroom.demo_illustrations import ALT_TEXT, illustration
from sources.models import Source
from topics.models import Topic
from wire.ingest import link_topics
from wire.models import WireItem

# Log-in accounts for trying the admin, one per newsroom role. The password is
# the account name followed by "-demo-pass"; they are only ever created on the
# embedded development database with DEBUG on.
DEMO_ACCOUNTS = {
    "reporter": ("Reporters", "Demo", "Reporter"),
    "editor": ("Editors", "Demo", "Editor"),
    "moderator": ("Topic moderators", "Demo", "Moderator"),
    "partners": ("Partner managers", "Demo", "Partner manager"),
}
PHOTOS = {photo.story: photo for photo in demo.PHOTOS}


class Command(BaseCommand):
    help = (
        "Load demo sources, sections, topics and a few dozen stories in every state, most "
        "published ones with a drawn lead photo, and a Ukrainian edition: the first story's "
        "translation, stories of its own, and the topics' Ukrainian names. "
        "Safe to run again: what exists already is left alone. Demo log-in accounts "
        "are created only on the embedded development database with DEBUG on."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would be created, change nothing."
        )

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        self.dry_run = dry_run
        self.photo_count = 0
        self.photos: list[Image] = []  # Stored in this run.
        try:
            with transaction.atomic():
                created = self.load_content()
                created["accounts"] = self.load_accounts()
                if dry_run:
                    transaction.set_rollback(True)
        except BaseException:
            # Storage is not transactional: files of photos rolled back must go too.
            self.remove_files(self.photos)
            raise
        summary = ", ".join(f"{count} {name}" for name, count in created.items())
        verb = "Would create" if dry_run else "Created"
        self.stdout.write(self.style.SUCCESS(f"{verb} {summary}."))

    def load_content(self) -> dict[str, int]:
        created = {
            "sources": 0,
            "sections": 0,
            "writers": 0,
            "stories": 0,
            "corrections": 0,
            "wire items": 0,
            "topic names": 0,
        }
        sources = {}
        for item in demo.SOURCES:
            sources[item.slug], new = Source.objects.get_or_create(
                slug=item.slug,
                defaults={
                    "name": item.name,
                    "kind": item.kind,
                    "homepage_url": item.homepage_url,
                    "attribution": item.attribution,
                    "country": item.country,
                    "language": item.language,
                },
            )
            created["sources"] += new
        sections = {}
        for position, item in enumerate(demo.SECTIONS):
            sections[item.slug], new = Section.objects.get_or_create(
                slug=item.slug,
                defaults={"name": item.name, "description": item.description, "position": position},
            )
            created["sections"] += new
            # Sections loaded before they had names in the other editions get them now.
            names = {**demo.SECTION_NAMES.get(item.slug, {}), **sections[item.slug].names}
            if names != sections[item.slug].names:
                sections[item.slug].names = names
                sections[item.slug].save(update_fields=["names"])
        writers = {}
        for item in demo.WRITERS:
            writers[item.username], new = get_user_model().objects.get_or_create(
                username=item.username,
                defaults={"first_name": item.first_name, "last_name": item.last_name},
            )
            if new:
                # Bylines only: these people cannot log in.
                writers[item.username].set_unusable_password()
                writers[item.username].save(update_fields=["password"])
            created["writers"] += new

        existing = set(
            Article.objects.filter(slug__in=[s.slug for s in demo.STORIES]).values_list(
                "slug", flat=True
            )
        )
        now = timezone.now().replace(second=0, microsecond=0)
        for story in demo.STORIES:
            if story.slug in existing:
                continue
            self.create_story(story, now, sources, sections, writers)
            created["stories"] += 1
        # Stories loaded before the demo had photos get theirs now.
        for article in Article.objects.filter(
            slug__in=PHOTOS.keys() & existing, lead_image__isnull=True
        ):
            Article.objects.filter(pk=article.pk).update(lead_image=self.make_photo(article.slug))
        for slug, note in demo.CORRECTIONS:
            article = Article.objects.filter(slug=slug).first()
            if article and not article.corrections.exists():
                corrected_at = min(article.publish_at + timedelta(hours=3), timezone.now())
                workflow.add_correction(article, None, note, corrected_at)
                created["corrections"] += 1
        created["wire items"] = self.load_wire(sources, now)
        created["topic names"] = self.name_topics()
        created["photos"] = self.photo_count
        return created

    def load_wire(self, sources, now) -> int:
        known = set(WireItem.objects.values_list("guid", flat=True))
        items = WireItem.objects.bulk_create(
            WireItem(
                source=sources[item.source],
                guid=item.guid,
                headline=item.headline,
                summary=item.summary,
                body=format_html_join("\n", "<p>{}</p>", ((p,) for p in item.paragraphs)),
                categories=list(item.categories),
                published_at=now - timedelta(hours=item.hours_ago),
                received_at=now - timedelta(hours=item.hours_ago),
            )
            for item in demo.WIRE
            if item.guid not in known
        )
        link_topics(items)
        return len(items)

    def name_topics(self) -> int:
        """Give the demo's topics their names in the other editions; return how many changed."""
        named = 0
        for language, names in demo.TOPIC_NAMES.items():
            topics = Topic.objects.filter(name__in=names).prefetch_related("names")
            for topic in topics:
                if topic.name_in(language) != names[topic.name]:
                    topic.set_name(language, names[topic.name])
                    named += 1
        return named

    def create_story(self, story: demo.DemoStory, now, sources, sections, writers) -> Article:
        """Write `story` through the workflow, as the desk would, and give it a believable past."""
        publish_at = now - timedelta(hours=story.hours_ago)
        filed = story.status in (Article.Status.PUBLISHED, Article.Status.UNPUBLISHED)
        written_at = min(publish_at, now) - timedelta(hours=1)
        # A translation records the original's text it was made from: it is up to date.
        original = (
            Article.objects.filter(slug=story.translation_of).first()
            if story.translation_of
            else None
        )
        photo = self.make_photo(story.slug)
        # The draft, its byline and its topics make the first revision.
        with workflow.revision(None, "Demo story"):
            article = workflow.create_draft(
                None,
                comment="Demo story",
                authors=[writers[username] for username in story.writers],
                headline=story.headline,
                slug=story.slug,
                standfirst=story.standfirst,
                body=format_html_join("\n", "<p>{}</p>", ((p,) for p in story.paragraphs)),
                dateline=story.dateline,
                source=sources[story.source],
                source_url=story.source_url,
                section=sections[story.section],
                lead_image=photo,
                language=story.language,
                translation_of=original,
                translated_from_revision=original.text_revision if original else None,
            )
            # The demo vocabulary is the newsroom's own: approved, not proposals
            # (`create_draft` would add the topics it does not know as pending).
            article.topics.set(story.topics, tag_kwargs={"status": Topic.Status.APPROVED})
            reversion.add_to_revision(article)
        # Then to where the story stands, each step recorded like any story's, with
        # the time it happened: written, submitted, published (or scheduled), taken down.
        times = [written_at]
        if story.status == Article.Status.IN_REVIEW:
            workflow.submit(article, None)
            times.append(written_at)
        elif filed:
            workflow.publish(article, None, at=publish_at)
            times.append(publish_at if publish_at <= now else written_at)
            if story.status == Article.Status.UNPUBLISHED:
                workflow.unpublish(article, None)
                times.append(publish_at)
        # Give the desk a believable history rather than "everything changed just now".
        Article.objects.filter(pk=article.pk).update(
            created_at=written_at, updated_at=publish_at if filed else written_at
        )
        # Each step's record carries the time it happened.
        transitions = list(article.transitions.order_by("pk"))
        versions = Version.objects.get_for_object(article).select_related("revision")
        revisions = [version.revision for version in versions.order_by("pk")]
        for transition, revision, when in zip(transitions, revisions, times, strict=False):
            transition.created_at = revision.date_created = when
        ArticleTransition.objects.bulk_update(transitions, ["created_at"])
        Revision.objects.bulk_update(revisions, ["date_created"])
        return article

    def make_photo(self, slug: str) -> Image | None:
        """Return story `slug`'s lead photo, drawn and stored with its copies, if it has one.

        The copies are made here rather than by the task worker, which may not be
        running yet: pages show the photo at once. A dry run draws nothing.
        """
        photo = PHOTOS.get(slug)
        if photo is None:
            return None
        self.photo_count += 1
        if self.dry_run:
            return None
        data = illustration(photo.scene, seed=slug)
        # Stored as an upload is: a random name under images/originals/, measured on save.
        image = Image(
            file=ContentFile(data, name=f"{photo.scene}.jpg"),
            alt_text=photo.alt_text or ALT_TEXT[photo.scene],
            caption=photo.caption,
            credit=demo.PHOTO_CREDIT,
        )
        image.save()
        self.photos.append(image)
        make_renditions(image)
        if not image.renditions_ready:
            raise CommandError(f"The demo photo of {slug} has no copies: {image.renditions_error}")
        return image

    def remove_files(self, images: list[Image]) -> None:
        """Delete the originals and copies of `images` from storage."""
        for image in images:
            storage, original = image.file.storage, image.file.name
            folder = rendition_folder(original)
            storage.delete(original)
            # Every copy in the folder, also those of a run that failed halfway.
            for name in storage.listdir(folder)[1] if storage.exists(folder) else []:
                storage.delete(f"{folder}/{name}")

    def load_accounts(self) -> int:
        if not (settings.EMBEDDED_DATABASE and settings.DEBUG):
            self.stdout.write(
                "Demo accounts skipped: they are only created on the embedded development "
                "database with DEBUG on."
            )
            return 0
        created = 0
        for username, (group_name, first_name, last_name) in DEMO_ACCOUNTS.items():
            user, new = get_user_model().objects.get_or_create(
                username=username,
                defaults={"first_name": first_name, "last_name": last_name, "is_staff": True},
            )
            if new:
                user.set_password(f"{username}-demo-pass")
                user.save(update_fields=["password"])
                created += 1
            user.groups.add(Group.objects.get(name=group_name))
        return created
