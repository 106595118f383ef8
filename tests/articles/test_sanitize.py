"""Bodies are cleaned against the allow-list on every save, whatever was pasted."""

import pytest

from articles.models import Article
from tests.articles.admin_forms import article_form, change_url
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

# What Word puts on the clipboard (conditional comments, Office namespaces, styles).
WORD_PASTE = (
    "<!--[if gte mso 9]><xml><o:OfficeDocumentSettings></o:OfficeDocumentSettings></xml>"
    "<![endif]-->\n"
    '<style>p.MsoNormal { margin: 0cm; font-family: "Calibri"; }</style>\n'
    "<p class=MsoNormal style='margin-bottom:0cm;line-height:normal'><b><span lang=EN-GB\n"
    'style=\'font-size:12.0pt;font-family:"Times New Roman",serif;'
    "mso-fareast-language:EN-GB'>Kyiv</span></b><span\n"
    "lang=EN-GB style='font-size:12.0pt'> — The ministry said<o:p></o:p></span></p>\n"
    "<p class=MsoListParagraphCxSpFirst style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'>"
    "<![if !supportLists]><span\nstyle='font-family:Symbol'>·<span "
    "style='font:7.0pt \"Times New Roman\"'>&nbsp;</span></span><![endif]>first point</p>"
)

# What a news site puts on the clipboard (layout, tracking, embeds).
WEB_PASTE = (
    '<div class="article-body" data-tracking="x"><h2 style="color:red" id="h">Background</h2>\n'
    '<p>Read <a href="https://www.ukrinform.net/x.html" target="_blank" onclick="track()">'
    "the report</a>.</p>\n"
    '<img src="https://tracker.example/pixel.gif" onerror="alert(1)">\n'
    '<blockquote class="twitter-tweet"><p>Quoted words</p></blockquote>\n'
    '<iframe src="https://ads.example/"></iframe><script>steal(document.cookie)</script></div>'
)

HOSTILE = """<p onmouseover="alert(1)">Hello <a href="javascript:alert(1)">click</a>
<a href="JaVaScRiPt:alert(2)">again</a> <a href="data:text/html,<script>alert(3)</script>">data</a>
<svg onload="alert(4)"></svg><math><mi xlink:href="javascript:alert(5)">x</mi></math>
<object data="evil.swf"></object><form action="https://evil.example"><input name="q"></form></p>"""


def saved_body(html: str) -> str:
    return ArticleFactory(body=html).body


def test_word_paste_keeps_the_words_and_drops_the_office_markup():
    body = saved_body(WORD_PASTE)
    assert "<b>Kyiv</b>" in body
    assert "The ministry said" in body
    assert "first point" in body
    for leftover in ("MsoNormal", "mso-", "<span", "<o:p", "<style", "Calibri", "<!--", "if gte"):
        assert leftover not in body


def test_web_paste_keeps_headings_links_and_quotes_without_their_attributes():
    body = saved_body(WEB_PASTE)
    assert "<h2>Background</h2>" in body
    assert '<a href="https://www.ukrinform.net/x.html">the report</a>' in body
    assert "<blockquote><p>Quoted words</p></blockquote>" in body
    for leftover in ("<div", "<img", "<iframe", "<script", "steal", "onclick", "onerror", "target"):
        assert leftover not in body


def test_scripts_event_handlers_and_javascript_links_never_survive():
    body = saved_body(HOSTILE)
    for leftover in ("javascript:", "JaVaScRiPt", "onmouseover", "onload", "<svg", "<math"):
        assert leftover not in body
    for leftover in ("data:text", "<object", "<form", "<input", "alert(1)"):
        assert leftover not in body
    assert "Hello" in body


def test_a_body_saved_through_the_admin_is_cleaned(client, editor):
    article = ArticleFactory()
    client.force_login(editor)
    client.post(change_url(article), article_form(article, body=HOSTILE))
    assert "javascript:" not in Article.objects.get(pk=article.pk).body


def test_the_rich_text_editor_edits_the_body_in_the_admin(client, editor):
    article = ArticleFactory()
    client.force_login(editor)
    content = client.get(change_url(article)).content.decode()
    assert "data-django-prose-editor-configurable" in content
    assert "django_prose_editor/editor.js" in content
