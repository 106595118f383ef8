"""The admin's labels, translatable (no change to the database)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import topics.models


class Migration(migrations.Migration):
    dependencies = [
        ("topics", "0007_topic_names"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="topic",
            options={
                "ordering": ["name"],
                "permissions": [
                    ("moderate_topic", "Can approve, reject, rename, merge and delete topics")
                ],
                "verbose_name": "topic",
                "verbose_name_plural": "topics",
            },
        ),
        migrations.AlterField(
            model_name="topic",
            name="description",
            field=models.TextField(
                blank=True,
                default="",
                help_text="Shown to readers at the top of the topic’s page.",
                verbose_name="description",
            ),
        ),
        migrations.AlterField(
            model_name="topic",
            name="kind",
            field=models.CharField(
                blank=True,
                choices=[
                    ("person", "Person"),
                    ("organisation", "Organisation"),
                    ("place", "Place"),
                    ("subject", "Subject"),
                ],
                default="",
                help_text="What the topic is about, so that “CPT” and “Russia” can be told apart.",
                max_length=20,
                verbose_name="kind",
            ),
        ),
        migrations.AlterField(
            model_name="topic",
            name="proposed_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, editable=False, verbose_name="proposed at"
            ),
        ),
        migrations.AlterField(
            model_name="topic",
            name="proposed_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="proposed_topics",
                to=settings.AUTH_USER_MODEL,
                verbose_name="proposed by",
            ),
        ),
        migrations.AlterField(
            model_name="topic",
            name="slug",
            field=models.SlugField(
                allow_unicode=True,
                blank=True,
                help_text="Part of the topic page’s URL; made from the name when left empty.",
                max_length=100,
                unique=True,
                verbose_name="slug",
            ),
        ),
        migrations.AlterField(
            model_name="topic",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "Pending"),
                    ("approved", "Approved"),
                    ("rejected", "Rejected"),
                ],
                default="pending",
                help_text="Only approved topics are shown to readers.",
                max_length=20,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="topicalias",
            name="created_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, editable=False, verbose_name="created at"
            ),
        ),
        migrations.AlterField(
            model_name="topicalias",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="created by",
            ),
        ),
        migrations.AlterField(
            model_name="topicalias",
            name="language",
            field=models.CharField(
                blank=True,
                default="",
                help_text="The language of the stories this name is typed in; blank for any.",
                max_length=12,
                validators=[topics.models.validate_alias_language],
                verbose_name="language",
            ),
        ),
        migrations.AlterField(
            model_name="topicalias",
            name="name",
            field=models.CharField(max_length=100, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="topicalias",
            name="topic",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="aliases",
                to="topics.topic",
                verbose_name="topic",
            ),
        ),
        migrations.AlterField(
            model_name="topiclogentry",
            name="action",
            field=models.CharField(
                choices=[
                    ("added", "Added"),
                    ("edited", "Edited"),
                    ("approved", "Approved"),
                    ("rejected", "Rejected"),
                    ("renamed", "Renamed"),
                    ("merged", "Merged"),
                    ("deleted", "Deleted"),
                    ("alias-added", "Alias added"),
                    ("alias-removed", "Alias removed"),
                ],
                max_length=20,
                verbose_name="action",
            ),
        ),
        migrations.AlterField(
            model_name="topiclogentry",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="actor",
            ),
        ),
        migrations.AlterField(
            model_name="topiclogentry",
            name="created_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, verbose_name="created at"
            ),
        ),
        migrations.AlterField(
            model_name="topiclogentry",
            name="details",
            field=models.JSONField(blank=True, default=dict, verbose_name="details"),
        ),
        migrations.AlterField(
            model_name="topiclogentry",
            name="summary",
            field=models.TextField(verbose_name="summary"),
        ),
        migrations.AlterField(
            model_name="topiclogentry",
            name="topic",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="log_entries",
                to="topics.topic",
                verbose_name="topic",
            ),
        ),
        migrations.AlterField(
            model_name="topiclogentry",
            name="topic_name",
            field=models.CharField(max_length=100, verbose_name="topic name"),
        ),
        migrations.AlterField(
            model_name="topicname",
            name="language",
            field=models.CharField(
                max_length=12,
                validators=[topics.models.validate_name_language],
                verbose_name="language",
            ),
        ),
        migrations.AlterField(
            model_name="topicname",
            name="name",
            field=models.CharField(max_length=100, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="topicname",
            name="slug",
            field=models.SlugField(
                allow_unicode=True,
                db_index=False,
                editable=False,
                max_length=100,
                verbose_name="slug",
            ),
        ),
        migrations.AlterField(
            model_name="topicname",
            name="topic",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="names",
                to="topics.topic",
                verbose_name="topic",
            ),
        ),
        migrations.AlterField(
            model_name="topicredirect",
            name="created_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, editable=False, verbose_name="created at"
            ),
        ),
        migrations.AlterField(
            model_name="topicredirect",
            name="old_slug",
            field=models.SlugField(
                allow_unicode=True, max_length=100, unique=True, verbose_name="old slug"
            ),
        ),
        migrations.AlterField(
            model_name="topicredirect",
            name="topic",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="redirects",
                to="topics.topic",
                verbose_name="topic",
            ),
        ),
    ]
