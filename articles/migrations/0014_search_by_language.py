"""Each story's search vector in its own language: a stemming configuration, or lemmas.

A generated column cannot be altered: the search vector is dropped and added again
with the new definition (PostgreSQL computes it for every row meanwhile, under a
lock on the table), then its GIN index is built concurrently (0015). Searches are
slow between the two. Stories in a lemmatised language (Ukrainian) saved before this
have no lemmas: their words are matched as written until `manage.py reindex_search`.
"""

import django.contrib.postgres.search
from django.contrib.postgres.search import SearchConfig, SearchVector
from django.db import migrations, models

# The configurations as this migration made them (articles.textsearch.SEARCH_CONFIGS).
SEARCH_CONFIGS = {
    "ar": "arabic",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hu": "hungarian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "nb": "norwegian",
    "ne": "nepali",
    "nl": "dutch",
    "no": "norwegian",
    "pt": "portuguese",
    "pt-br": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
}


def config():
    return models.Case(
        *(
            models.When(language=code, then=SearchConfig(models.Value(name)))
            for code, name in SEARCH_CONFIGS.items()
        ),
        default=SearchConfig(models.Value("simple")),
        output_field=models.TextField(),
    )


body_text = models.Func(
    models.F("body"),
    models.Value('<(?:[^>"]|"[^"]*")*>'),
    models.Value(" "),
    models.Value("g"),
    function="regexp_replace",
    output_field=models.TextField(),
)


class Migration(migrations.Migration):
    dependencies = [("articles", "0013_story_language_indexes")]

    operations = [
        migrations.RemoveIndex(model_name="article", name="article_search_vector_idx"),
        migrations.RemoveField(model_name="article", name="search_vector"),
        migrations.AddField(
            model_name="article",
            name="search_lemmas",
            field=django.contrib.postgres.search.SearchVectorField(
                blank=True, editable=False, null=True
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=models.Case(
                    models.When(
                        models.Q(language__in=["uk"], search_lemmas__isnull=False),
                        then=models.F("search_lemmas"),
                    ),
                    default=SearchVector("headline", weight="A", config=config())
                    + SearchVector("standfirst", weight="B", config=config())
                    + SearchVector(body_text, weight="C", config=config()),
                    output_field=django.contrib.postgres.search.SearchVectorField(),
                ),
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        # As 0007 set it on the column dropped above.
        migrations.RunSQL(
            "ALTER TABLE articles_article ALTER COLUMN search_vector SET STATISTICS 2000",
            migrations.RunSQL.noop,
        ),
    ]
