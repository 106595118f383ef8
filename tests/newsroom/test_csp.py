"""The Content-Security-Policy: on every answer, strict, and met by every page we render."""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import re
from pathlib import Path

import django_prose_editor
import lxml.html
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from articles import previews
from newsroom import csp
from tests.factories import ArticleFactory, UserFactory

HEADER = "Content-Security-Policy"


def policy(response) -> dict[str, list[str]]:
    """The response's policy as {directive: [sources]}."""
    assert HEADER in response, f"{response.status_code} {response.get('Content-Type')} lacks it"
    directives = {}
    for part in response[HEADER].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def nonce_sources(directives: dict[str, list[str]]) -> list[str]:
    return [s for sources in directives.values() for s in sources if s.startswith("'nonce-")]


@pytest.fixture
def story(db):
    return ArticleFactory(published=True, topics=["Energy"], authors=[UserFactory()])


def public_urls(story) -> list[str]:
    return [
        reverse("articles:home"),
        story.get_absolute_url(),
        reverse("articles:topic", args=["energy"]),
        story.source.get_absolute_url(),
        story.section.get_absolute_url(),
        reverse("articles:author", args=[story.authors.get().pk]),
        reverse("articles:search") + "?q=grain",
        reverse("articles:search") + "?q=",
    ]


# --- The header on every kind of answer -----------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "expected_status"),
    [
        ("home", 200),
        ("story", 200),
        ("feed", 200),
        ("atom", 200),
        ("sitemap", 200),
        ("robots", 200),
        ("healthz", 200),
        ("api", 200),
        ("openapi", 200),
        ("not found", 404),
        ("wrong method", 405),
        ("admin login", 200),
        ("admin redirect", 302),
    ],
)
def test_every_kind_of_answer_carries_the_policy(client, story, name, expected_status):
    url = {
        "home": reverse("articles:home"),
        "story": story.get_absolute_url(),
        "feed": reverse("articles:feed"),
        "atom": reverse("articles:feed_atom"),
        "sitemap": reverse("articles:sitemap_index"),
        "robots": reverse("robots_txt"),
        "healthz": reverse("healthz"),
        "api": "/api/v1/articles/",
        "openapi": "/api/v1/openapi.json",
        "not found": "/articles/0/no-such-story/",
        "wrong method": reverse("csp_report"),
        "admin login": reverse("admin:login"),
        "admin redirect": reverse("admin:index"),
    }[name]
    response = client.get(url)
    assert response.status_code == expected_status
    assert policy(response)["default-src"] == ["'self'"]


@pytest.mark.django_db
def test_the_admin_pages_carry_the_policy(client, story):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    for url in (
        reverse("admin:index"),
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_article_add"),
        reverse("admin:articles_article_change", args=[story.pk]),
        reverse("admin:articles_article_preview", args=[story.pk]),
        reverse("admin:topics_topic_changelist") + "?status__exact=pending",
        reverse("admin:autocomplete")
        + "?app_label=articles&model_name=article&field_name=source&term=a",
        reverse("admin:articles_article_change", args=[0]),  # Not found: a redirect.
    ):
        response = client.get(url)
        assert response.status_code in (200, 302), url
        assert policy(response)["object-src"] == ["'none'"], url


@pytest.mark.django_db
def test_the_presence_ping_answer_carries_the_policy(client, story):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.post(reverse("admin:articles_article_presence", args=[story.pk]))
    assert response.status_code == 200
    assert HEADER in response


# --- The directives ---------------------------------------------------------------------


@pytest.mark.django_db
def test_the_policy_is_strict(client):
    directives = policy(client.get(reverse("articles:home")))
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["report-uri"] == [reverse("csp_report")]


@pytest.mark.django_db
def test_no_directive_allows_inline_code_or_eval(client):
    header = client.get(reverse("articles:home"))[HEADER]
    assert "unsafe-inline" not in header
    assert "unsafe-eval" not in header
    assert "unsafe-hashes" not in header
    assert "data:" not in header


# --- Public pages: one answer for every reader, no inline script -----------------------


@pytest.mark.django_db
def test_public_pages_carry_no_nonce_so_the_front_cache_may_share_them(client, story):
    for url in public_urls(story):
        first, second = client.get(url), client.get(url)
        assert nonce_sources(policy(first)) == [], url
        assert first[HEADER] == second[HEADER], url


def inline_code(html: str) -> list[str]:
    """Everything in a page that a policy without 'unsafe-inline' would block, described."""
    found = []
    document = lxml.html.fromstring(html)
    for script in document.iter("script"):
        data_block = script.get("type") == "application/ld+json"
        if script.get("src") is None and not data_block and script.get("nonce") is None:
            found.append(f"inline script: {lxml.html.tostring(script)[:80]!r}")
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue  # Comments.
        if element.tag == "style" and element.get("nonce") is None:
            found.append("<style> element")
        for attribute, value in element.attrib.items():
            if attribute.startswith("on"):
                found.append(f"<{element.tag} {attribute}=…>")
            if attribute == "style":
                found.append(f"<{element.tag} style=…>")
            if value.strip().lower().startswith("javascript:"):
                found.append(f"<{element.tag} {attribute}=javascript:…>")
    return found


@pytest.mark.django_db
def test_no_public_page_holds_inline_code(client, story):
    for url in [*public_urls(story), "/articles/0/no-such-story/"]:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert inline_code(response.content.decode()) == [], url


@pytest.mark.django_db
def test_a_story_page_has_its_json_ld_as_a_data_block_only(client, story):
    document = lxml.html.fromstring(client.get(story.get_absolute_url()).content)
    scripts = document.findall(".//script")
    assert [s.get("type") for s in scripts] == ["application/ld+json"]
    assert json.loads(scripts[0].text)["@type"] == "NewsArticle"


@pytest.mark.django_db
def test_a_shared_preview_holds_no_inline_code(client):
    draft = ArticleFactory()
    link = previews.create(draft, UserFactory(groups=["Editors"]))
    response = client.get(previews.url_for(link))
    assert response.status_code == 200
    assert inline_code(response.content.decode()) == []
    assert nonce_sources(policy(response)) == []


def template_files() -> list[Path]:
    base = Path(settings.BASE_DIR)
    folders = [base / "templates", *base.glob("*/templates")]
    return sorted(p for folder in folders for p in folder.rglob("*.html"))


INLINE_IN_SOURCE = [
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>"), "inline script"),
    (re.compile(r"\son[a-z]+\s*=", re.IGNORECASE), "event-handler attribute"),
    (re.compile(r"javascript:", re.IGNORECASE), "javascript: URL"),
    (re.compile(r"\sstyle\s*=|<style", re.IGNORECASE), "inline style"),
]


def test_no_template_holds_inline_code():
    files = template_files()
    assert files
    found = [
        f"{path.relative_to(settings.BASE_DIR)}: {what}"
        for path in files
        for pattern, what in INLINE_IN_SOURCE
        if pattern.search(path.read_text())
    ]
    assert found == []


# --- The admin: a fresh nonce where an inline script is needed -------------------------


@pytest.mark.django_db
def test_the_story_form_gives_its_inline_scripts_the_nonce_of_the_header(client, story):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    for url in (
        reverse("admin:articles_article_add"),
        reverse("admin:articles_article_change", args=[story.pk]),
    ):
        response = client.get(url)
        nonces = nonce_sources(policy(response))
        assert len(nonces) == 1, url
        nonce = nonces[0].removeprefix("'nonce-").removesuffix("'")
        document = lxml.html.fromstring(response.content)
        inline = [s for s in document.iter("script") if s.get("src") is None]
        assert [s.get("type") for s in inline] == ["importmap"], url
        assert {s.get("nonce") for s in inline} == {nonce}, url
        assert inline_code(response.content.decode()) == [], url


@pytest.mark.django_db
def test_every_answer_has_a_nonce_of_its_own(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:articles_article_add")
    assert nonce_sources(policy(client.get(url))) != nonce_sources(policy(client.get(url)))


@pytest.mark.django_db
def test_admin_pages_without_inline_scripts_carry_no_nonce(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    for url in (
        reverse("admin:index"),
        reverse("admin:articles_article_changelist"),
        reverse("admin:topics_topic_changelist"),
    ):
        response = client.get(url)
        assert nonce_sources(policy(response)) == [], url
        assert inline_code(response.content.decode()) == [], url


@pytest.mark.django_db
def test_only_the_story_form_allows_the_prose_editors_stylesheet(client, story):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    form = policy(client.get(reverse("admin:articles_article_add")))
    listing = policy(client.get(reverse("admin:articles_article_changelist")))
    assert form["style-src"] == ["'self'", csp.PROSE_EDITOR_STYLE_HASH]
    assert listing["style-src"] == ["'self'"]


def test_the_prose_editor_stylesheet_hash_matches_the_installed_editor():
    """Tiptap's base stylesheet is a template literal in editor.js; its hash is allowed."""
    editor_js = Path(django_prose_editor.__file__).parent / "static/django_prose_editor/editor.js"
    literals = re.findall(r"`(\.ProseMirror \{[^`]*)`", editor_js.read_text())
    hashes = [
        "'sha256-" + base64.b64encode(hashlib.sha256(css.encode()).digest()).decode() + "'"
        for css in literals
    ]
    assert csp.PROSE_EDITOR_STYLE_HASH in hashes, f"the editor's stylesheet now hashes to {hashes}"


# --- The report endpoint ----------------------------------------------------------------

REPORT = {
    "csp-report": {
        "document-uri": "https://news.example.com/",
        "violated-directive": "script-src-elem",
        "effective-directive": "script-src-elem",
        "blocked-uri": "inline",
        "line-number": 12,
        "disposition": "enforce",
        "original-policy": "default-src 'self'",
    }
}


def logged(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "django.security.csp"]


def post_report(client, payload, content_type="application/csp-report"):
    body = payload if isinstance(payload, bytes) else json.dumps(payload)
    return client.post(reverse("csp_report"), body, content_type=content_type)


def test_a_violation_report_is_logged_without_a_csrf_token(caplog):
    client = Client(enforce_csrf_checks=True)
    with caplog.at_level(logging.WARNING, logger="django.security.csp"):
        response = post_report(client, REPORT)
    assert response.status_code == 204
    [message] = logged(caplog)
    assert "script-src-elem" in message
    assert "https://news.example.com/" in message
    assert "original-policy" not in message


def test_a_reporting_api_report_is_logged(client, caplog):
    reports = [
        {
            "type": "csp-violation",
            "url": "https://news.example.com/",
            "body": {
                "documentURL": "https://news.example.com/",
                "effectiveDirective": "style-src-elem",
                "blockedURL": "inline",
            },
        },
        {"type": "deprecation", "body": {"id": "something"}},
    ]
    with caplog.at_level(logging.WARNING, logger="django.security.csp"):
        response = post_report(client, reports, content_type="application/reports+json")
    assert response.status_code == 204
    [message] = logged(caplog)
    assert "style-src-elem" in message


def test_a_long_field_is_cut_in_the_log(client, caplog):
    report = {"csp-report": {**REPORT["csp-report"], "script-sample": "x" * 5000}}
    with caplog.at_level(logging.WARNING, logger="django.security.csp"):
        post_report(client, report)
    [message] = logged(caplog)
    assert len(message) < 1000


@pytest.mark.parametrize(
    "body",
    [b"not json", b"\xff\xfe", json.dumps({"something": "else"}).encode(), b"[1, 2]", b""],
)
def test_what_is_not_a_report_is_refused_and_not_logged(client, caplog, body):
    with caplog.at_level(logging.WARNING, logger="django.security.csp"):
        response = post_report(client, body)
    assert response.status_code == 400
    assert logged(caplog) == []


def test_an_oversized_report_is_refused_and_not_logged(client, caplog):
    report = {"csp-report": {**REPORT["csp-report"], "script-sample": "x" * csp.REPORT_MAX_BYTES}}
    with caplog.at_level(logging.WARNING, logger="django.security.csp"):
        response = post_report(client, report)
    assert response.status_code == 413
    assert logged(caplog) == []


def test_reports_are_only_read_from_a_post(client):
    assert client.get(reverse("csp_report")).status_code == 405


def test_past_the_limit_reports_of_a_minute_are_counted_not_logged(client, caplog, settings):
    with caplog.at_level(logging.WARNING, logger="django.security.csp"):
        for _ in range(csp.REPORTS_LOGGED_PER_MINUTE + 20):
            assert post_report(client, REPORT).status_code == 204
    messages = logged(caplog)
    violations = [m for m in messages if m.startswith("CSP violation")]
    # A minute may turn during the loop: then a second minute's reports are logged too.
    assert csp.REPORTS_LOGGED_PER_MINUTE <= len(violations) < csp.REPORTS_LOGGED_PER_MINUTE + 20
    assert any("are not logged" in m for m in messages)
