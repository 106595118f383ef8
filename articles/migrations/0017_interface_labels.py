"""The admin's labels, translatable (no change to the database)."""

import django.db.models.deletion
import django.utils.timezone
import taggit.managers
from django.conf import settings
from django.db import migrations, models

import articles.languages


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0016_section_names"),
        ("sources", "0004_feed_language_and_labels"),
        ("topics", "0008_interface_labels"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="article",
            options={
                "ordering": ["-publish_at", "-pk"],
                "permissions": [
                    ("publish_article", "Can publish, schedule and unpublish articles")
                ],
                "verbose_name": "article",
                "verbose_name_plural": "articles",
            },
        ),
        migrations.AlterModelOptions(
            name="articlepresence",
            options={
                "verbose_name": "editing presence",
                "verbose_name_plural": "editing presences",
            },
        ),
        migrations.AlterModelOptions(
            name="articletopic",
            options={"verbose_name": "article topic", "verbose_name_plural": "article topics"},
        ),
        migrations.AlterModelOptions(
            name="articletransition",
            options={
                "ordering": ["-created_at", "-pk"],
                "verbose_name": "article transition",
                "verbose_name_plural": "article transitions",
            },
        ),
        migrations.AlterModelOptions(
            name="correction",
            options={
                "ordering": ["published_at", "pk"],
                "verbose_name": "correction",
                "verbose_name_plural": "corrections",
            },
        ),
        migrations.AlterModelOptions(
            name="pin",
            options={
                "ordering": ["position", "-created_at"],
                "verbose_name": "pin",
                "verbose_name_plural": "pins",
            },
        ),
        migrations.AlterModelOptions(
            name="previewlink",
            options={
                "ordering": ["-created_at", "-pk"],
                "verbose_name": "preview link",
                "verbose_name_plural": "preview links",
            },
        ),
        migrations.AlterModelOptions(
            name="section",
            options={
                "ordering": ["position", "name"],
                "verbose_name": "section",
                "verbose_name_plural": "sections",
            },
        ),
        migrations.AlterField(
            model_name="article",
            name="body",
            field=models.TextField(
                blank=True, help_text="Stored as HTML, cleaned on save.", verbose_name="body"
            ),
        ),
        migrations.AlterField(
            model_name="article",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="created at"),
        ),
        migrations.AlterField(
            model_name="article",
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
            model_name="article",
            name="dateline",
            field=models.CharField(
                blank=True,
                help_text="Where the story was filed from, e.g. “Kyiv”.",
                max_length=100,
                verbose_name="dateline",
            ),
        ),
        migrations.AlterField(
            model_name="article",
            name="first_published_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="first published at"
            ),
        ),
        migrations.AlterField(
            model_name="article",
            name="headline",
            field=models.CharField(max_length=255, verbose_name="headline"),
        ),
        migrations.AlterField(
            model_name="article",
            name="language",
            field=models.CharField(
                default="en",
                help_text="The language the story is written in: readers find it in that edition.",
                max_length=12,
                validators=[articles.languages.validate_language],
                verbose_name="language",
            ),
        ),
        migrations.AlterField(
            model_name="article",
            name="section",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="articles",
                to="articles.section",
                verbose_name="section",
            ),
        ),
        migrations.AlterField(
            model_name="article",
            name="slug",
            field=models.SlugField(
                allow_unicode=True,
                blank=True,
                help_text="Part of the story’s URL; made from the headline when left empty. Old links keep working when it changes.",
                max_length=120,
                verbose_name="slug",
            ),
        ),
        migrations.AlterField(
            model_name="article",
            name="source",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="articles",
                to="sources.source",
                verbose_name="source",
            ),
        ),
        migrations.AlterField(
            model_name="article",
            name="standfirst",
            field=models.TextField(
                blank=True,
                help_text="The lead: one or two sentences under the headline.",
                verbose_name="standfirst",
            ),
        ),
        migrations.AlterField(
            model_name="article",
            name="status",
            field=models.CharField(
                choices=[
                    ("draft", "Draft"),
                    ("changes", "Changes requested"),
                    ("review", "In review"),
                    ("published", "Published"),
                    ("unpublished", "Unpublished"),
                    ("deleted", "Deleted"),
                ],
                default="draft",
                max_length=20,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="article",
            name="text_revision",
            field=models.PositiveIntegerField(
                default=1, editable=False, verbose_name="text revision"
            ),
        ),
        migrations.AlterField(
            model_name="article",
            name="topics",
            field=taggit.managers.TaggableManager(
                blank=True,
                help_text="A comma-separated list of tags.",
                through="articles.ArticleTopic",
                to="topics.Topic",
                verbose_name="topics",
            ),
        ),
        migrations.AlterField(
            model_name="article",
            name="translated_from_revision",
            field=models.PositiveIntegerField(
                blank=True, editable=False, null=True, verbose_name="translated from revision"
            ),
        ),
        migrations.AlterField(
            model_name="article",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, verbose_name="updated at"),
        ),
        migrations.AlterField(
            model_name="article",
            name="version",
            field=models.PositiveIntegerField(default=1, verbose_name="version"),
        ),
        migrations.AlterField(
            model_name="articlepresence",
            name="article",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="presences",
                to="articles.article",
                verbose_name="article",
            ),
        ),
        migrations.AlterField(
            model_name="articlepresence",
            name="seen_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="seen at"),
        ),
        migrations.AlterField(
            model_name="articlepresence",
            name="started_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, verbose_name="started at"
            ),
        ),
        migrations.AlterField(
            model_name="articlepresence",
            name="user",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="user",
            ),
        ),
        migrations.AlterField(
            model_name="articletopic",
            name="content_object",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="topic_links",
                to="articles.article",
                verbose_name="content object",
            ),
        ),
        migrations.AlterField(
            model_name="articletopic",
            name="publish_at",
            field=models.DateTimeField(editable=False, null=True, verbose_name="publish at"),
        ),
        migrations.AlterField(
            model_name="articletopic",
            name="tag",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="article_links",
                to="topics.topic",
                verbose_name="tag",
            ),
        ),
        migrations.AlterField(
            model_name="articletransition",
            name="action",
            field=models.CharField(
                choices=[
                    ("created", "Created"),
                    ("submitted", "Submitted for review"),
                    ("sent_back", "Sent back for changes"),
                    ("published", "Published"),
                    ("scheduled", "Scheduled"),
                    ("unpublished", "Unpublished"),
                    ("deleted", "Deleted"),
                    ("recovered", "Recovered"),
                ],
                max_length=20,
                verbose_name="action",
            ),
        ),
        migrations.AlterField(
            model_name="articletransition",
            name="article",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="transitions",
                to="articles.article",
                verbose_name="article",
            ),
        ),
        migrations.AlterField(
            model_name="articletransition",
            name="note",
            field=models.TextField(blank=True, verbose_name="note"),
        ),
        migrations.AlterField(
            model_name="articletransition",
            name="user",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="user",
            ),
        ),
        migrations.AlterField(
            model_name="correction",
            name="article",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="corrections",
                to="articles.article",
                verbose_name="article",
            ),
        ),
        migrations.AlterField(
            model_name="correction",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                to=settings.AUTH_USER_MODEL,
                verbose_name="created by",
            ),
        ),
        migrations.AlterField(
            model_name="correction",
            name="note",
            field=models.TextField(
                help_text="What was wrong and what is right now, in plain text.",
                verbose_name="note",
            ),
        ),
        migrations.AlterField(
            model_name="correction",
            name="published_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, verbose_name="published at"
            ),
        ),
        migrations.AlterField(
            model_name="pin",
            name="article",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="pins",
                to="articles.article",
                verbose_name="article",
            ),
        ),
        migrations.AlterField(
            model_name="pin",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="created at"),
        ),
        migrations.AlterField(
            model_name="pin",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                to=settings.AUTH_USER_MODEL,
                verbose_name="created by",
            ),
        ),
        migrations.AlterField(
            model_name="pin",
            name="position",
            field=models.PositiveSmallIntegerField(
                default=0,
                help_text="Lower comes first; the first pin leads the page.",
                verbose_name="position",
            ),
        ),
        migrations.AlterField(
            model_name="pin",
            name="section",
            field=models.ForeignKey(
                blank=True,
                help_text="Leave empty to pin the story to the home page.",
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="pins",
                to="articles.section",
                verbose_name="section",
            ),
        ),
        migrations.AlterField(
            model_name="previewlink",
            name="article",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="preview_links",
                to="articles.article",
                verbose_name="article",
            ),
        ),
        migrations.AlterField(
            model_name="previewlink",
            name="created_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, verbose_name="created at"
            ),
        ),
        migrations.AlterField(
            model_name="previewlink",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="created by",
            ),
        ),
        migrations.AlterField(
            model_name="previewlink",
            name="expires_at",
            field=models.DateTimeField(verbose_name="expires at"),
        ),
        migrations.AlterField(
            model_name="previewlink",
            name="revoked_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="revoked at"),
        ),
        migrations.AlterField(
            model_name="section",
            name="description",
            field=models.TextField(blank=True, verbose_name="description"),
        ),
        migrations.AlterField(
            model_name="section",
            name="name",
            field=models.CharField(max_length=100, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="section",
            name="position",
            field=models.PositiveSmallIntegerField(
                default=0,
                help_text="Sections are listed in this order in the site navigation.",
                verbose_name="position",
            ),
        ),
        migrations.AlterField(
            model_name="section",
            name="slug",
            field=models.SlugField(max_length=100, unique=True, verbose_name="slug"),
        ),
    ]
