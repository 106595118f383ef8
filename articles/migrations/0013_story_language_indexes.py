"""The indexes of each edition's listings and of a story's translations, built concurrently."""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("articles", "0012_story_language")]

    operations = [
        AddIndexConcurrently(
            model_name="article",
            index=models.Index(
                condition=models.Q(("status", "published")),
                fields=["language", "publish_at"],
                name="article_language_public_idx",
            ),
        ),
        AddIndexConcurrently(
            model_name="article",
            index=models.Index(
                condition=models.Q(("translation_of__isnull", False)),
                fields=["translation_of"],
                name="article_translations_idx",
            ),
        ),
    ]
