"""Add a partner with its scope, and issue its first API key (shown once)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.languages import language_codes
from articles.models import Section
from partners.models import Partner, PartnerKey
from sources.models import Source


class Command(BaseCommand):
    help = (
        "Add a partner that may take the stories of the given sources, sections and "
        "languages (none given: all), and print its first API key. The key is shown once."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("name", help="The partner's name, e.g. “Kyiv Post”.")
        parser.add_argument(
            "--source", action="append", default=[], help="Slug of a source it takes (repeat)."
        )
        parser.add_argument(
            "--section", action="append", default=[], help="Slug of a section it takes (repeat)."
        )
        parser.add_argument(
            "--language",
            action="append",
            default=[],
            help=f"Code of a language it takes, one of {', '.join(language_codes())} (repeat).",
        )
        parser.add_argument(
            "--rate-limit", type=int, help="API requests per minute per key; the site's if not set."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report, create nothing."
        )

    def handle(self, *args, **options) -> None:
        name = " ".join(options["name"].split())
        if not name:
            raise CommandError("Give the partner a name.")
        if Partner.objects.filter(name__iexact=name).exists():
            raise CommandError(f"There is already a partner called “{name}”.")
        sources = self.by_slugs(Source, options["source"], "source")
        sections = self.by_slugs(Section, options["section"], "section")
        languages = list(dict.fromkeys(options["language"]))
        if options["rate_limit"] is not None and options["rate_limit"] < 1:
            raise CommandError("--rate-limit: give a number of requests per minute, at least 1.")

        partner = Partner(name=name, languages=languages, rate_limit=options["rate_limit"])
        try:
            partner.full_clean()
        except ValidationError as error:
            raise CommandError(
                "; ".join(f"{field}: {' '.join(m)}" for field, m in error.message_dict.items())
            ) from None
        if options["dry_run"]:
            self.stdout.write(
                f"Would add the partner “{name}” ({self.describe(partner, sources, sections)})."
            )
            return

        with transaction.atomic():
            partner.save()
            partner.sources.set(sources)
            partner.sections.set(sections)
            _, key = PartnerKey.issue(partner, name="First key")
        self.stdout.write(
            self.style.SUCCESS(
                f"Added the partner “{name}” ({self.describe(partner, sources, sections)})."
            )
        )
        self.stdout.write(f"API key: {key}")
        self.stdout.write(
            "Copy it now: it will not be shown again (only its digest is kept). "
            "Send it as “Authorization: Bearer <key>”."
        )

    def by_slugs(self, model, slugs: list[str], what: str) -> list:
        found = {item.slug: item for item in model.objects.filter(slug__in=slugs)}
        unknown = [slug for slug in dict.fromkeys(slugs) if slug not in found]
        if unknown:
            raise CommandError(f"No {what} with the slug {', '.join(unknown)}.")
        return [found[slug] for slug in dict.fromkeys(slugs)]

    def describe(self, partner: Partner, sources: list, sections: list) -> str:
        return "; ".join(
            [
                "sources: " + (", ".join(s.name for s in sources) or "all"),
                "sections: " + (", ".join(s.name for s in sections) or "all"),
                "languages: " + (", ".join(partner.languages) or "all"),
                f"{partner.requests_per_minute} requests a minute per key",
            ]
        )
