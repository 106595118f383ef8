"""The GIN index of the search vector added again by 0014, built without locking the table."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("articles", "0014_search_by_language")]

    operations = [
        AddIndexConcurrently(
            model_name="article",
            index=GinIndex(fields=["search_vector"], name="article_search_vector_idx"),
        ),
    ]
