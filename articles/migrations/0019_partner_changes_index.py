"""The index of the partners' change feed, built without locking the table."""

import django.db.models.functions.comparison
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("articles", "0018_withdrawals_and_embargoes")]

    operations = [
        AddIndexConcurrently(
            model_name="article",
            index=models.Index(
                models.OrderBy(
                    django.db.models.functions.comparison.Greatest(
                        "updated_at",
                        models.Case(models.When(embargoed=False, then="publish_at"), default=None),
                    ),
                    descending=True,
                ),
                models.OrderBy(models.F("id"), descending=True),
                condition=models.Q(
                    ("first_published_at__isnull", False),
                    ("status__in", ["published", "unpublished", "withdrawn", "deleted"]),
                ),
                name="article_partner_changed_idx",
            ),
        ),
    ]
