"""A feed's own language, and the admin's labels made translatable."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0003_sourcefeed_last_report"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="source",
            options={
                "ordering": ["name"],
                "verbose_name": "source",
                "verbose_name_plural": "sources",
            },
        ),
        migrations.AlterModelOptions(
            name="sourcefeed",
            options={
                "ordering": ["source__name", "url"],
                "verbose_name": "source feed",
                "verbose_name_plural": "source feeds",
            },
        ),
        migrations.AddField(
            model_name="sourcefeed",
            name="language",
            field=models.CharField(
                blank=True,
                help_text="Language of the feed’s stories, as a BCP 47 tag; empty for the source’s.",
                max_length=35,
                verbose_name="language",
            ),
        ),
        migrations.AlterField(
            model_name="source",
            name="attribution",
            field=models.CharField(
                blank=True,
                help_text="How stories credit the source, e.g. “Ukrinform reports”.",
                max_length=200,
                verbose_name="attribution",
            ),
        ),
        migrations.AlterField(
            model_name="source",
            name="country",
            field=models.CharField(
                blank=True,
                help_text="Country, as an ISO 3166 two-letter code (UA).",
                max_length=2,
                verbose_name="country",
            ),
        ),
        migrations.AlterField(
            model_name="source",
            name="kind",
            field=models.CharField(
                choices=[
                    ("agency", "News agency"),
                    ("outlet", "News outlet"),
                    ("ministry", "Ministry or government body"),
                    ("international", "International organisation"),
                    ("other", "Other"),
                ],
                default="agency",
                max_length=20,
                verbose_name="kind",
            ),
        ),
        migrations.AlterField(
            model_name="source",
            name="language",
            field=models.CharField(
                default="en",
                help_text="Language of its stories, as a BCP 47 tag (en, uk).",
                max_length=35,
                verbose_name="language",
            ),
        ),
        migrations.AlterField(
            model_name="source",
            name="name",
            field=models.CharField(max_length=200, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="source",
            name="slug",
            field=models.SlugField(max_length=100, unique=True, verbose_name="slug"),
        ),
        migrations.AlterField(
            model_name="sourcefeed",
            name="etag",
            field=models.CharField(blank=True, editable=False, max_length=500, verbose_name="etag"),
        ),
        migrations.AlterField(
            model_name="sourcefeed",
            name="last_error",
            field=models.CharField(
                blank=True, editable=False, max_length=500, verbose_name="last error"
            ),
        ),
        migrations.AlterField(
            model_name="sourcefeed",
            name="last_error_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="last error at"
            ),
        ),
        migrations.AlterField(
            model_name="sourcefeed",
            name="last_fetched_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="last fetched at"
            ),
        ),
        migrations.AlterField(
            model_name="sourcefeed",
            name="last_modified",
            field=models.CharField(
                blank=True, editable=False, max_length=100, verbose_name="last modified"
            ),
        ),
        migrations.AlterField(
            model_name="sourcefeed",
            name="last_success_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="last success at"
            ),
        ),
        migrations.AlterField(
            model_name="sourcefeed",
            name="source",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="feeds",
                to="sources.source",
                verbose_name="source",
            ),
        ),
    ]
