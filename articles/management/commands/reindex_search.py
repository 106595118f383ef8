"""Make the stored lemmas of stories in lemmatised languages again, in batches."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.models import Article
from articles.textsearch import LEMMATISED, lemma_vector


class Command(BaseCommand):
    help = (
        "Refill the search lemmas of stories in languages whose words are reduced to "
        "dictionary forms in Python (Ukrainian): after an upgrade, a change of dictionary, "
        "or stories written with SQL or update(). The database then recomputes their "
        "search vectors. Other languages' vectors need nothing: the database keeps them."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--batch-size",
            type=int,
            default=500,
            help="Stories read and written per transaction (default 500).",
        )
        parser.add_argument(
            "--language",
            action="append",
            help="Only this language (repeatable); every lemmatised language by default.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count the stories, change nothing."
        )

    def handle(self, *args, **options) -> None:
        size = options["batch_size"]
        if size < 1:
            raise CommandError("--batch-size must be at least 1.")
        languages = options["language"] or sorted(LEMMATISED)
        unknown = sorted(set(languages) - set(LEMMATISED))
        if unknown:
            lemmatised = ", ".join(sorted(LEMMATISED))
            raise CommandError(f"Not lemmatised: {', '.join(unknown)} (these are: {lemmatised}).")
        stories = Article.objects.filter(language__in=languages)
        if options["dry_run"]:
            self.stdout.write(f"{stories.count()} stories would be reindexed.")
            return
        done, last = 0, 0
        columns = ("pk", "language", "headline", "standfirst", "body")
        while True:
            with transaction.atomic():
                # Batches by id: each is one short transaction, and a story saved
                # meanwhile makes its own lemmas anyway.
                batch = list(
                    stories.filter(pk__gt=last)
                    .select_for_update(skip_locked=True)
                    .order_by("pk")
                    .only(*columns)[:size]
                )
                if not batch:
                    break
                for story in batch:
                    story.search_lemmas = lemma_vector(
                        story.language, story.headline, story.standfirst, story.body
                    )
                Article.objects.bulk_update(batch, ["search_lemmas"])
            done += len(batch)
            last = batch[-1].pk
            self.stdout.write(f"{done} stories reindexed…")
        # A story moved out of a lemmatised language with update() keeps lemmas its
        # search vector no longer reads: drop them.
        if not options["language"]:
            Article.objects.exclude(language__in=list(LEMMATISED)).exclude(
                search_lemmas=None
            ).update(search_lemmas=None)
        self.stdout.write(self.style.SUCCESS(f"Reindexed {done} stories."))
