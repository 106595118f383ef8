"""Sections' names in the other editions' languages.

A JSON column with a constant default: PostgreSQL adds it without rewriting the
table, and nothing filters on it, so it has no index.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("articles", "0015_search_vector_index")]

    operations = [
        migrations.AddField(
            model_name="section",
            name="names",
            field=models.JSONField(
                blank=True, default=dict, verbose_name="names in other languages"
            ),
        ),
    ]
