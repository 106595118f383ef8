"""The admin's labels, translatable (no change to the database)."""

import django.contrib.postgres.fields
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0017_interface_labels"),
        ("sources", "0004_feed_language_and_labels"),
        ("topics", "0008_interface_labels"),
        ("wire", "0002_newsroom_group_permissions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="wireitem",
            options={
                "ordering": ["-received_at", "-pk"],
                "permissions": [("take_wireitem", "Can take wire copy to write a story")],
                "verbose_name": "wire item",
                "verbose_name_plural": "wire items",
            },
        ),
        migrations.AlterField(
            model_name="wireitem",
            name="article",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="wire_item",
                to="articles.article",
                verbose_name="article",
            ),
        ),
        migrations.AlterField(
            model_name="wireitem",
            name="body",
            field=models.TextField(blank=True, help_text="Cleaned HTML.", verbose_name="body"),
        ),
        migrations.AlterField(
            model_name="wireitem",
            name="byline",
            field=models.CharField(blank=True, max_length=200, verbose_name="byline"),
        ),
        migrations.AlterField(
            model_name="wireitem",
            name="categories",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.CharField(max_length=100),
                blank=True,
                default=list,
                size=None,
                verbose_name="categories",
            ),
        ),
        migrations.AlterField(
            model_name="wireitem",
            name="feed",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="wire_items",
                to="sources.sourcefeed",
                verbose_name="feed",
            ),
        ),
        migrations.AlterField(
            model_name="wireitem",
            name="headline",
            field=models.CharField(max_length=255, verbose_name="headline"),
        ),
        migrations.AlterField(
            model_name="wireitem",
            name="published_at",
            field=models.DateTimeField(
                blank=True, help_text="As the feed says.", null=True, verbose_name="published at"
            ),
        ),
        migrations.AlterField(
            model_name="wireitem",
            name="received_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, verbose_name="received at"
            ),
        ),
        migrations.AlterField(
            model_name="wireitem",
            name="source",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="wire_items",
                to="sources.source",
                verbose_name="source",
            ),
        ),
        migrations.AlterField(
            model_name="wireitem",
            name="summary",
            field=models.TextField(blank=True, verbose_name="summary"),
        ),
        migrations.AlterField(
            model_name="wireitem",
            name="taken_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="taken at"),
        ),
        migrations.AlterField(
            model_name="wireitem",
            name="taken_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="taken by",
            ),
        ),
        migrations.AlterField(
            model_name="wireitem",
            name="topics",
            field=models.ManyToManyField(
                blank=True, related_name="wire_items", to="topics.topic", verbose_name="topics"
            ),
        ),
    ]
