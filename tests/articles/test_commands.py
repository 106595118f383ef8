"""`import_story` and `load_demo`."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.management.commands.import_story import MAX_FILE_BYTES
from articles.models import Article
from tests.factories import SectionFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "ukrinform-cpt-denunciation.txt"

STORY = """
Ministry says the denunciation is an admission of guilt

The Ministry of Foreign Affairs stated this in a comment, the agency reports.
“Quotes & <tags> survive as text,” the statement said.
"""


@pytest.fixture
def ukrinform():
    return SourceFactory(name="Ukrinform", slug="ukrinform")


@pytest.fixture
def story_file(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    return path


def run_import(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("import_story", *args, stdout=out)
    return out.getvalue()


# --- import_story ---------------------------------------------------------------------


def test_import_story_creates_a_draft_from_plain_text(ukrinform, story_file):
    output = run_import("--source", "ukrinform", str(story_file))
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    assert article.headline == "Ministry says the denunciation is an admission of guilt"
    assert article.source == ukrinform
    assert article.body == (
        "<p>The Ministry of Foreign Affairs stated this in a comment, the agency reports.</p>\n"
        "<p>“Quotes &amp; &lt;tags&gt; survive as text,” the statement said.</p>"
    )
    assert f"Created draft {article.pk}" in output
    assert not Article.objects.published().exists()


def test_import_story_files_section_and_byline(ukrinform, story_file):
    section = SectionFactory(slug="war")
    author = UserFactory(username="okovalenko")
    run_import(
        "--source", "ukrinform", "--section", "war", "--author", "okovalenko", str(story_file)
    )
    article = Article.objects.get()
    assert article.section == section
    assert list(article.authors.all()) == [author]


@pytest.mark.skipif(not SEED.exists(), reason="../shared/seeds is not present")
def test_import_story_reads_the_seed_wire_story(ukrinform):
    run_import("--source", "ukrinform", str(SEED))
    article = Article.objects.get()
    assert article.headline.startswith("Russia’s denunciation of the European Convention")
    assert article.body.count("<p>") == 14


def test_import_story_accepts_a_byte_order_mark_and_windows_line_ends(ukrinform, tmp_path):
    path = tmp_path / "story.txt"
    path.write_bytes("\ufeffHeadline\r\n\r\nFirst paragraph.\r\n".encode())
    run_import("--source", "ukrinform", str(path))
    assert Article.objects.get().headline == "Headline"


def test_import_story_dry_run_creates_nothing(ukrinform, story_file):
    output = run_import("--source", "ukrinform", "--dry-run", str(story_file))
    assert "Would create a draft" in output
    assert not Article.objects.exists()


def bad_file(tmp_path, content: bytes) -> str:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    return str(path)


@pytest.mark.parametrize(
    ("make_path", "message"),
    [
        (lambda tmp: str(tmp / "missing.txt"), "no such file"),
        (lambda tmp: str(tmp), "no such file"),
        (lambda tmp: bad_file(tmp, b""), "it is empty"),
        (lambda tmp: bad_file(tmp, b" \n\n\t\n"), "it is empty"),
        (lambda tmp: bad_file(tmp, "Заголовок".encode("cp1251")), r"not UTF-8 text \(byte 0xc7"),
        (lambda tmp: bad_file(tmp, b"Headline\x00\nbody"), "NUL bytes"),
        (lambda tmp: bad_file(tmp, b"x" * 300 + b"\nbody"), "at most 255"),
        (lambda tmp: bad_file(tmp, b"H\n" + b"x" * MAX_FILE_BYTES), "too large"),
    ],
    ids=["missing", "directory", "empty", "blank", "cp1251", "nul", "long-headline", "oversized"],
)
def test_import_story_refuses_bad_files_and_creates_nothing(
    ukrinform, tmp_path, make_path, message
):
    with pytest.raises(CommandError, match=message):
        run_import("--source", "ukrinform", make_path(tmp_path))
    assert not Article.objects.exists()


def test_import_story_refuses_an_unknown_source_and_lists_known_ones(ukrinform, story_file):
    with pytest.raises(CommandError, match=r"Unknown source “nope”\. Known sources: ukrinform\."):
        run_import("--source", "nope", str(story_file))
    assert not Article.objects.exists()


def test_import_story_refuses_an_unknown_section(ukrinform, story_file):
    with pytest.raises(CommandError, match="Unknown section “nope”"):
        run_import("--source", "ukrinform", "--section", "nope", str(story_file))
    assert not Article.objects.exists()


def test_import_story_writes_the_story_in_its_source_language(story_file):
    SourceFactory(slug="ukrinform-ua", language="uk-UA")
    run_import("--source", "ukrinform-ua", str(story_file))
    assert Article.objects.get().language == "uk"


def test_import_story_takes_the_language_given(ukrinform, story_file):
    run_import("--source", "ukrinform", "--language", "uk", str(story_file))
    assert Article.objects.get().language == "uk"


def test_import_story_refuses_a_language_the_site_has_not(ukrinform, story_file):
    with pytest.raises(CommandError, match=r"Unknown language “de”\. The site's languages: en, uk"):
        run_import("--source", "ukrinform", "--language", "de", str(story_file))
    assert not Article.objects.exists()


def test_import_story_refuses_an_unknown_author(ukrinform, story_file):
    with pytest.raises(CommandError, match="Unknown user “nobody”"):
        run_import("--source", "ukrinform", "--author", "nobody", str(story_file))
    assert not Article.objects.exists()


def test_import_story_requires_a_source(story_file):
    with pytest.raises(CommandError, match="--source"):
        run_import(str(story_file))
