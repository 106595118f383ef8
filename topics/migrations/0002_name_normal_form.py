"""The normal form of topic names, in the database, and what it needs.

`topic_name_key(name)` is lower case, without accents, with one space between
words and none around them: "Rússia ", "russia" and "RUSSIA" share "russia".
`unaccent()` itself is only STABLE (it reads a dictionary chosen at run time),
so the function names its dictionary and is declared IMMUTABLE, which makes it
usable in indexes and unique constraints. Topic names that would clash once the
constraint exists are told apart first, so that moderators can merge them.
"""

from django.contrib.postgres.operations import CreateExtension, TrigramExtension
from django.db import migrations

CREATE_FUNCTION = r"""
CREATE OR REPLACE FUNCTION topic_name_key(name text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT lower(btrim(regexp_replace(public.unaccent('public.unaccent'::regdictionary, name), '\s+', ' ', 'g')))
$$
"""

DROP_FUNCTION = "DROP FUNCTION IF EXISTS topic_name_key(text)"

# Keep the oldest topic of each clashing group as it is; the others get their id
# appended, which the likely-duplicates page then pairs with the original.
SEPARATE_CLASHING_NAMES = """
UPDATE topics_topic AS topic
SET name = left(topic.name, 80) || ' (duplicate ' || topic.id || ')'
FROM (
    SELECT id, row_number() OVER (PARTITION BY topic_name_key(name) ORDER BY id) AS position
    FROM topics_topic
) AS clash
WHERE clash.id = topic.id AND clash.position > 1
"""


class Migration(migrations.Migration):
    dependencies = [("topics", "0001_initial")]

    operations = [
        CreateExtension("unaccent"),
        TrigramExtension(),
        migrations.RunSQL(CREATE_FUNCTION, DROP_FUNCTION),
        migrations.RunSQL(SEPARATE_CLASHING_NAMES, migrations.RunSQL.noop),
    ]
