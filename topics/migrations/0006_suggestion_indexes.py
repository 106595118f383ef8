"""Indexes for topic suggestions: names starting with a term, in order, and aliases containing it.

The prefix indexes keep the normal form in the "C" collation (byte order), in
which `LIKE 'term%'` and `ORDER BY` can use a B-tree whatever the database's
own collation.
"""

import django.contrib.postgres.indexes
import django.db.models.functions
from django.db import migrations, models

import topics.models


class Migration(migrations.Migration):
    dependencies = [("topics", "0005_topic_moderators_permissions")]

    operations = [
        migrations.AddIndex(
            model_name="topic",
            index=models.Index(
                django.db.models.functions.Collate(topics.models.NormalName("name"), "C"),
                name="topic_name_prefix_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="topicalias",
            index=models.Index(
                django.db.models.functions.Collate(topics.models.NormalName("name"), "C"),
                name="topic_alias_name_prefix_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="topicalias",
            index=django.contrib.postgres.indexes.GinIndex(
                django.contrib.postgres.indexes.OpClass(
                    topics.models.NormalName("name"), name="gin_trgm_ops"
                ),
                name="topic_alias_name_trgm_idx",
            ),
        ),
    ]
