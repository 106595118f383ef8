"""Let the planner see how rare a searched word is.

With the default statistics target, a word outside the few hundred most common
ones is guessed to match 0.5% of stories: at a million stories PostgreSQL then
walks the newest stories looking for a word that appears in a thousand of them,
instead of asking the GIN index. A larger sample of the search vectors keeps the
estimate close to the truth.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("articles", "0006_editorial_group_permissions")]

    operations = [
        migrations.RunSQL(
            "ALTER TABLE articles_article ALTER COLUMN search_vector SET STATISTICS 2000",
            "ALTER TABLE articles_article ALTER COLUMN search_vector SET STATISTICS -1",
        )
    ]
