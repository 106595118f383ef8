"""Turn a plain-text wire story into a draft."""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext

from articles import workflow
from articles.languages import language_codes, site_language
from articles.models import Article, Section
from sources.models import Source

MAX_FILE_BYTES = 1024 * 1024
HEADLINE_MAX_LENGTH = Article._meta.get_field("headline").max_length


def parse_story(text: str) -> tuple[str, list[str]]:
    """Split plain text into its headline (first non-empty line) and paragraphs (the rest).

    Each further non-empty line is one paragraph, as in agency plain-text copy.
    """
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        raise ValueError("it is empty: expected a headline line followed by paragraphs")
    return lines[0], lines[1:]


class Command(BaseCommand):
    help = (
        "Create a draft from a plain-text story: the first non-empty line is the headline, "
        "every further non-empty line a paragraph. The text must be UTF-8."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="Path of the UTF-8 text file.")
        parser.add_argument("--source", required=True, help="Slug of the source that reported it.")
        parser.add_argument("--section", help="Slug of the section to file it in.")
        parser.add_argument("--author", help="Username to put on the byline.")
        parser.add_argument(
            "--language",
            help="Language the story is written in (en, uk); the source's by default.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report, create nothing."
        )

    def handle(self, *args, **options) -> None:
        source = self.get_source(options["source"])
        section = self.get_by_slug(Section, options["section"], "section")
        author = self.get_author(options["author"])
        language = self.get_language(options["language"], source)
        headline, paragraphs = self.read_story(Path(options["file"]))

        with transaction.atomic():
            # Through the workflow: the draft gets its first revision and its
            # "created" transition like any other.
            article = workflow.create_draft(
                None,
                comment=f"Imported from {Path(options['file']).name}",
                authors=[author] if author else [],
                headline=headline,
                body=format_html_join("\n", "<p>{}</p>", ((p,) for p in paragraphs)),
                source=source,
                section=section,
                language=language,
            )
            if options["dry_run"]:
                transaction.set_rollback(True)

        if options["dry_run"]:
            self.stdout.write(
                f"Would create a draft “{headline}” from {source.name}: "
                f"{len(paragraphs)} paragraphs."
            )
            return
        change_url = settings.SITE_URL + reverse("admin:articles_article_change", args=[article.pk])
        self.stdout.write(
            self.style.SUCCESS(
                f"Created draft {article.pk} “{article.headline}” from {source.name}: "
                f"{len(paragraphs)} paragraphs. Edit it at {change_url}"
            )
        )

    def get_source(self, slug: str) -> Source:
        try:
            return Source.objects.get(slug=slug)
        except Source.DoesNotExist:
            known = ", ".join(Source.objects.values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"Unknown source “{slug}”. Known sources: {known}.") from None

    def get_by_slug(self, model, slug: str | None, label: str):
        if not slug:
            return None
        try:
            return model.objects.get(slug=slug)
        except model.DoesNotExist:
            known = ", ".join(model.objects.values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"Unknown {label} “{slug}”. Known {label}s: {known}.") from None

    def get_language(self, tag: str | None, source: Source) -> str:
        """Return the language asked for, else the source's, else the site's default."""
        if tag is None:
            return site_language(source.language) or settings.LANGUAGE_CODE
        language = site_language(tag)
        if language is None:
            raise CommandError(
                gettext("Unknown language “%(tag)s”. The site's languages: %(codes)s.")
                % {"tag": tag, "codes": ", ".join(language_codes())}
            )
        return language

    def get_author(self, username: str | None):
        if not username:
            return None
        try:
            return get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"Unknown user “{username}”.") from None

    def read_story(self, path: Path) -> tuple[str, list[str]]:
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        try:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                raise CommandError(
                    f"{path}: {size:,} bytes is too large for a story "
                    f"(the limit is {MAX_FILE_BYTES:,} bytes)."
                )
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: cannot be read ({error.strerror}).") from None
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise CommandError(
                f"{path}: not UTF-8 text (byte 0x{data[error.start]:02x} at offset "
                f"{error.start}). Convert it first, e.g. with iconv -t UTF-8."
            ) from None
        if "\x00" in text:
            raise CommandError(f"{path}: contains NUL bytes; it does not look like a text file.")
        try:
            headline, paragraphs = parse_story(text)
        except ValueError as error:
            raise CommandError(f"{path}: {error}.") from None
        if len(headline) > HEADLINE_MAX_LENGTH:
            raise CommandError(
                f"{path}: the first line is {len(headline)} characters long; a headline may "
                f"have at most {HEADLINE_MAX_LENGTH}. Is the headline missing?"
            )
        return headline, paragraphs
