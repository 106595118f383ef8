"""The body passage of a search result, highlighted from the part of the body that matches.

ts_headline parses and stems every word of the text it is given before it chooses
a passage, so highlighting 20 bodies of 600 words cost a quarter of a search page,
for two passages of 30 words each. `articles_search_excerpt` first looks for the
reader's words in the text (a quoted phrase as typed, give or take word endings
and punctuation; else each word's stem, as the stored vector holds it, so that
"sanctions" is found as "sanction") and gives ts_headline only the thousand
characters around the first one found.

When that passage shows no match (a stem found inside another word, say), the
whole body is highlighted as before, if the body matches the search by itself
(its part of the stored vector, weight C, says so without parsing). A story may
match through its headline or standfirst alone; its body then gets the passage
around the first word found, or none, rather than a parse of every word.
"""

from django.db import migrations

FORWARD = r"""
CREATE FUNCTION articles_search_excerpt(
    config regconfig, document text, stored tsvector, query tsquery, words text, options text,
    start_sel text
) RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
    lowered text := lower(document);
    found integer;
    first integer;
    passage text;
    marked text;
BEGIN
    -- A quoted phrase as typed (each word maybe with an ending, then anything but letters
    -- and digits before the next), or else the first of the words' stems.
    SELECT min(at) INTO found
      FROM (
        SELECT regexp_instr(lowered, array_to_string(ARRAY(
                   SELECT word FROM regexp_split_to_table(lower(phrase[1]), '[^[:alnum:]]+') AS word
                    WHERE word <> ''), '[[:alnum:]]*[^[:alnum:]]+')) AS at
          FROM regexp_matches(words, '"([^"]*[[:alnum:]][^"]*)"', 'g') AS phrase
      ) AS phrases
     WHERE at > 0;
    IF found IS NULL THEN
        SELECT min(at) INTO found
          FROM (
            SELECT strpos(lowered, lexeme) AS at
              FROM unnest(tsvector_to_array(to_tsvector(config, words))) AS lexeme
          ) AS stems
         WHERE at > 0;
    END IF;
    IF found IS NOT NULL THEN
        first := greatest(1, found - 300);
        passage := substr(document, first, 1000);
        -- Whole words only: the passage is cut at spaces.
        IF first > 1 THEN
            passage := regexp_replace(passage, '^\S*\s', '');
        END IF;
        IF first + 1000 <= length(document) THEN
            passage := regexp_replace(passage, '\s\S*$', '');
        END IF;
        marked := ts_headline(config, passage, query, options);
        IF strpos(marked, start_sel) > 0 THEN
            RETURN marked;
        END IF;
    END IF;
    -- The whole text is worth parsing only if it matches by itself: the story may
    -- match through its headline or standfirst (weights A and B of the stored vector).
    IF ts_filter(stored, '{c}') @@ query THEN
        RETURN ts_headline(config, document, query, options);
    END IF;
    RETURN coalesce(marked, '');
END
$$;
"""

BACKWARD = """
DROP FUNCTION articles_search_excerpt(regconfig, text, tsvector, tsquery, text, text, text);
"""


class Migration(migrations.Migration):
    dependencies = [("articles", "0010_changed_order_and_desk_ties")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
