"""Each topic link carries its story's publish time, kept by the database.

A topic page, a topic feed and the related stories of an article read "the
newest published stories of this topic". Without the publish time beside the
topic, PostgreSQL either walks every story newest first looking for the topic
(slow for a small topic) or sorts all of a topic's stories (slow for a big one).
With it, one index answers either, page after page.

The copy is written only by triggers: on a new link, from its story; when a
story's status or publish time changes, on all of its links. Stories that are
not published have NULL there, and pages still apply `published()`.
"""

from django.db import migrations, models

FORWARD = """
CREATE FUNCTION articles_topic_link_publish_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    SELECT CASE WHEN a.status = 'published' THEN a.publish_at END
      INTO NEW.publish_at
      FROM articles_article a
     WHERE a.id = NEW.content_object_id;
    RETURN NEW;
END
$$;

CREATE TRIGGER articles_topic_link_publish_at
BEFORE INSERT OR UPDATE OF content_object_id, publish_at ON articles_articletopic
FOR EACH ROW EXECUTE FUNCTION articles_topic_link_publish_at();

CREATE FUNCTION articles_article_publish_at_to_topic_links() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE articles_articletopic
       SET publish_at = CASE WHEN NEW.status = 'published' THEN NEW.publish_at END
     WHERE content_object_id = NEW.id;
    RETURN NULL;
END
$$;

CREATE TRIGGER articles_article_publish_at_to_topic_links
AFTER UPDATE OF status, publish_at ON articles_article
FOR EACH ROW
WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.publish_at IS DISTINCT FROM NEW.publish_at)
EXECUTE FUNCTION articles_article_publish_at_to_topic_links();

UPDATE articles_articletopic l
   SET publish_at = a.publish_at
  FROM articles_article a
 WHERE a.id = l.content_object_id AND a.status = 'published';
"""

BACKWARD = """
DROP TRIGGER articles_article_publish_at_to_topic_links ON articles_article;
DROP FUNCTION articles_article_publish_at_to_topic_links();
DROP TRIGGER articles_topic_link_publish_at ON articles_articletopic;
DROP FUNCTION articles_topic_link_publish_at();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_search_vector_statistics"),
        ("topics", "0006_suggestion_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="articletopic",
            name="publish_at",
            field=models.DateTimeField(editable=False, null=True),
        ),
        migrations.RunSQL(FORWARD, BACKWARD),
        migrations.AddIndex(
            model_name="articletopic",
            index=models.Index(
                condition=models.Q(("publish_at__isnull", False)),
                fields=["tag", "-publish_at", "-content_object"],
                name="article_topic_stream_idx",
            ),
        ),
    ]
