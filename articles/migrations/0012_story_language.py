"""A story's language, and translations linked to their original."""

import django.db.models.deletion
from django.db import migrations, models

import articles.languages


class Migration(migrations.Migration):
    dependencies = [("articles", "0011_search_excerpt")]

    operations = [
        migrations.AddField(
            model_name="article",
            name="language",
            field=models.CharField(
                default="en",
                help_text="The language the story is written in: readers find it in that edition.",
                max_length=12,
                validators=[articles.languages.validate_language],
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="text_revision",
            field=models.PositiveIntegerField(default=1, editable=False),
        ),
        migrations.AddField(
            model_name="article",
            name="translated_from_revision",
            field=models.PositiveIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="article",
            name="translation_of",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="translations",
                to="articles.article",
                verbose_name="translation of",
            ),
        ),
    ]
