"""The interface in every language of the site: a complete catalogue, compiled as it stands."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

CATALOGUE = settings.BASE_DIR / "locale" / "{language}" / "LC_MESSAGES" / "django.{kind}"
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != "en"]
# What `make messages` leaves out of the catalogue (the same list).
NOT_SCANNED = (".venv", "var", "tools", "tests", "bench", "deploy", ".git", "node_modules")


def catalogue(language: str, kind: str = "po") -> Path:
    return Path(str(CATALOGUE).format(language=language, kind=kind))


def untranslated(po: polib.POFile) -> list[str]:
    return [entry.msgid for entry in po if not entry.translated() or "fuzzy" in entry.flags]


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_catalogue_has_no_missing_or_fuzzy_entry(language):
    po = polib.pofile(str(catalogue(language)))
    assert len(po) > 500
    assert untranslated(po) == []
    for entry in po:
        if entry.msgid_plural:
            assert len(entry.msgstr_plural) == 4 and all(entry.msgstr_plural.values()), entry.msgid


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_compiled_catalogue_is_the_catalogue(language):
    """`make messages` compiles it; a .po edited without compiling fails here."""
    po = polib.pofile(str(catalogue(language)))
    mo = polib.mofile(str(catalogue(language, "mo")))
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in mo}
    written = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in po if e.translated()}
    assert compiled == written


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_string_of_the_code_is_in_the_catalogue(language, tmp_path):
    """Extract the strings afresh (Django's makemessages) and find each one translated."""
    if shutil.which("xgettext") is None or shutil.which("msgmerge") is None:
        if os.environ.get("CI"):
            pytest.fail("GNU gettext (xgettext, msgmerge) is needed to check the catalogue.")
        pytest.skip("GNU gettext (xgettext, msgmerge) is not installed.")
    copy = tmp_path / "project"
    shutil.copytree(
        settings.BASE_DIR, copy, ignore=shutil.ignore_patterns(*NOT_SCANNED, "__pycache__")
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", language, "--no-obsolete"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={**os.environ, "DEBUG": "true"},
    )
    extracted = polib.pofile(str(copy / "locale" / language / "LC_MESSAGES" / "django.po"))
    assert untranslated(extracted) == [], "Run `make messages` and translate the new strings."


def test_ukrainian_pages_speak_ukrainian():
    with translation.override("uk"):
        assert translation.gettext("Search") == "Пошук"
        assert translation.ngettext("%(count)s word", "%(count)s words", 5) != "%(count)s words"
