"""Topics in several languages: a name and slug per language, and aliases with a language.

The names table is new, so its indexes are built with it; the alias column is
added without a default rewrite (PostgreSQL stores a constant default) and
without an index. The names go with their topic through the database's own
ON DELETE CASCADE, which Django 5.2 cannot declare on the field.
"""

import django.contrib.postgres.indexes
import django.db.models.deletion
from django.db import migrations, models

import topics.models

CASCADE_FROM_TOPIC = """
ALTER TABLE topics_topicname ADD CONSTRAINT topicname_topic_fk
    FOREIGN KEY (topic_id) REFERENCES topics_topic (id)
    ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED
"""


class Migration(migrations.Migration):
    dependencies = [
        ("topics", "0006_suggestion_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="topicalias",
            name="language",
            field=models.CharField(
                blank=True,
                default="",
                help_text="The language of the stories this name is typed in; blank for any.",
                max_length=12,
                validators=[topics.models.validate_alias_language],
            ),
        ),
        migrations.CreateModel(
            name="TopicName",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "language",
                    models.CharField(
                        max_length=12, validators=[topics.models.validate_name_language]
                    ),
                ),
                ("name", models.CharField(max_length=100)),
                (
                    "slug",
                    models.SlugField(
                        allow_unicode=True, db_index=False, editable=False, max_length=100
                    ),
                ),
                (
                    "topic",
                    models.ForeignKey(
                        db_index=False,
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="names",
                        to="topics.topic",
                    ),
                ),
            ],
            options={
                "verbose_name": "name in another language",
                "verbose_name_plural": "names in other languages",
                "ordering": ["language"],
                "indexes": [
                    django.contrib.postgres.indexes.GinIndex(
                        django.contrib.postgres.indexes.OpClass(
                            topics.models.NormalName("name"), name="gin_trgm_ops"
                        ),
                        name="topicname_name_trgm_idx",
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("topic", "language"), name="topicname_topic_language_unique"
                    ),
                    models.UniqueConstraint(
                        fields=("slug", "language"), name="topicname_slug_unique"
                    ),
                    models.UniqueConstraint(
                        models.F("language"),
                        topics.models.NormalName("name"),
                        name="topicname_name_normal_unique",
                        violation_error_message="Another topic has this name in this language (ignoring case, accents and spaces).",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("name", ""), _negated=True),
                        name="topicname_name_not_empty",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("slug", ""), _negated=True),
                        name="topicname_slug_not_empty",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("language", ""), _negated=True),
                        name="topicname_language_not_empty",
                    ),
                ],
            },
        ),
        migrations.RunSQL(
            CASCADE_FROM_TOPIC,
            "ALTER TABLE topics_topicname DROP CONSTRAINT topicname_topic_fk",
        ),
    ]
