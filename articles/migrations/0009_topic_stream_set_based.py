"""Fill the topic links' publish times once per statement, not once per row.

A topic merge re-tags a hundred thousand stories in one INSERT ... SELECT; a
row trigger looked each story up on its own. A statement trigger with the new
rows as a transition table does it in one joined UPDATE. Changing a link's story
(never done in practice) keeps a row trigger: PostgreSQL allows no transition
table for an UPDATE OF trigger.

A link inserted with its publish time already (a merge copies it from the
links it replaces, themselves kept by these triggers) is taken as it is; a link
inserted without one (every other insert: Django writes NULL) is looked up.
"""

from django.db import migrations

FORWARD = """
DROP TRIGGER articles_topic_link_publish_at ON articles_articletopic;

CREATE FUNCTION articles_topic_links_publish_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE articles_articletopic l
       SET publish_at = a.publish_at
      FROM new_links n
      JOIN articles_article a ON a.id = n.content_object_id
     WHERE l.id = n.id AND n.publish_at IS NULL AND a.status = 'published';
    RETURN NULL;
END
$$;

CREATE TRIGGER articles_topic_links_publish_at
AFTER INSERT ON articles_articletopic
REFERENCING NEW TABLE AS new_links
FOR EACH STATEMENT EXECUTE FUNCTION articles_topic_links_publish_at();

CREATE TRIGGER articles_topic_link_moved
BEFORE UPDATE OF content_object_id ON articles_articletopic
FOR EACH ROW WHEN (OLD.content_object_id IS DISTINCT FROM NEW.content_object_id)
EXECUTE FUNCTION articles_topic_link_publish_at();
"""

BACKWARD = """
DROP TRIGGER articles_topic_link_moved ON articles_articletopic;
DROP TRIGGER articles_topic_links_publish_at ON articles_articletopic;
DROP FUNCTION articles_topic_links_publish_at();

CREATE TRIGGER articles_topic_link_publish_at
BEFORE INSERT OR UPDATE OF content_object_id, publish_at ON articles_articletopic
FOR EACH ROW EXECUTE FUNCTION articles_topic_link_publish_at();
"""


class Migration(migrations.Migration):
    dependencies = [("articles", "0008_topic_stream")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
