"""Feed documents for the ingest tests."""

from datetime import datetime
from email.utils import format_datetime

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>Ukrinform</title>
    <link>https://www.ukrinform.net/</link>
    <description>Latest news</description>
    <item>
      <title>Grain ships leave Odesa ports</title>
      <link>https://www.ukrinform.net/rubric-economy/1001-grain.html</link>
      <guid isPermaLink="false">ukrinform-1001</guid>
      <pubDate>Tue, 24 Nov 2026 09:30:00 +0200</pubDate>
      <dc:creator>Ukrinform</dc:creator>
      <category>Energy</category>
      <category>Grain exports</category>
      <description>Three ships left port &lt;b&gt;this morning&lt;/b&gt;.</description>
      <content:encoded><![CDATA[<p>Three ships left port.</p><script>alert(1)</script>
        <p onclick="x()">More <a href="javascript:alert(1)">text</a>.</p>]]></content:encoded>
    </item>
    <item>
      <title>Council of Europe committee visits Kyiv</title>
      <link>https://www.ukrinform.net/rubric-polytics/1002-coe.html</link>
      <pubDate>Tue, 24 Nov 2026 10:00:00 +0200</pubDate>
      <category>council of europe</category>
      <description>&lt;p&gt;The delegation met officials.&lt;/p&gt;</description>
    </item>
  </channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Council of Europe newsroom</title>
  <id>tag:coe.int,2026:news</id>
  <updated>2026-11-24T12:00:00Z</updated>
  <entry>
    <title>Committee publishes report on detention</title>
    <id>tag:coe.int,2026:news/501</id>
    <link rel="alternate" href="https://www.coe.int/en/news/501"/>
    <published>2026-11-24T11:00:00Z</published>
    <updated>2026-11-24T11:30:00Z</updated>
    <author><name>Press office</name></author>
    <category term="human-rights" label="Human rights"/>
    <summary>The committee set out its findings.</summary>
    <content type="html">&lt;p&gt;The committee set out its findings after a visit.&lt;/p&gt;
    </content>
  </entry>
</feed>
"""

MALFORMED = "<rss version='2.0'><channel><item><title>Broken</title></channel>"

ENTITY_BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<rss version="2.0"><channel><item><title>&lol4;</title><guid>bomb</guid></item></channel></rss>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><item><title>&secret;</title><guid>xxe</guid></item></channel></rss>
"""


def flood(count: int) -> str:
    """An RSS feed of `count` tiny undated items, each with a category of its own.

    40,000 items make some 3.3 MB: a feed within the size cap that would file
    40,000 items and propose 40,000 topics if nothing capped it.
    """
    items = "".join(
        f"<item><title>Story {n}</title><guid>{n}</guid><category>T{n}</category></item>"
        for n in range(count)
    )
    return f'<rss version="2.0"><channel><title>Flood</title>{items}</channel></rss>'


def dated(*stories: tuple[str, datetime | None]) -> str:
    """An RSS feed of the given (GUID, date) stories, in that order."""
    items = "".join(
        f"<item><title>Story {guid}</title><guid>{guid}</guid>"
        + (f"<pubDate>{format_datetime(date)}</pubDate>" if date else "")
        + "</item>"
        for guid, date in stories
    )
    return f'<rss version="2.0"><channel><title>Dated</title>{items}</channel></rss>'
