"""A backup restored into a new database and storage serves the same stories and photos."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from newsroom.backups import DATABASE_FILE, read_manifest
from tests.databases import database_url
from tests.factories import ArticleFactory, ImageFactory

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture
def empty_database():
    """A new, empty database beside the test database; dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restored"
    admin = psycopg.connect(database_url("postgres"), autocommit=True)
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.execute(f'CREATE DATABASE "{name}"')
    yield name
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def manage(*args: str, database: str, media_root: Path) -> subprocess.CompletedProcess:
    """Run manage.py as a separate instance: its own database and photo storage."""
    env = {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": database_url(database),
        "MEDIA_ROOT": str(media_root),
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_into_a_new_instance_serves_the_same_stories(
    tmp_path, media_root, empty_database
):
    photo = ImageFactory()
    story = ArticleFactory(published=True, headline="Grain ship leaves Odesa", lead_image=photo)
    ArticleFactory(headline="A draft that stays a draft")
    stored = sorted(p.relative_to(media_root) for p in media_root.rglob("*") if p.is_file())

    call_command("backup", str(tmp_path / "backups"))
    [folder] = (tmp_path / "backups").iterdir()
    manifest = read_manifest(folder)
    assert manifest["counts"] == {"stories": 2, "published_stories": 1, "photos": 1}
    assert manifest["media_files"] == len(stored) >= 2  # The original and its copies.

    new_media = tmp_path / "restored-media"
    restored = manage("restore", str(folder), database=empty_database, media_root=new_media)
    assert restored.returncode == 0, restored.stderr
    assert "2 stories (1 published), 1 photos" in restored.stdout

    # The new instance serves the story, its photo's copies included.
    page = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.test import Client; r = Client().get("
        f"{story.get_absolute_url()!r}); print(r.status_code); print(r.content.decode())",
        database=empty_database,
        media_root=new_media,
    )
    assert page.stdout.splitlines()[0] == "200", page.stderr
    assert "Grain ship leaves Odesa" in page.stdout
    for name in stored:
        assert (new_media / name).read_bytes() == (media_root / name).read_bytes()
    assert sorted(p.relative_to(new_media) for p in new_media.rglob("*") if p.is_file()) == stored

    # Restoring twice is refused: the database is no longer empty, and nothing changes.
    again = manage("restore", str(folder), database=empty_database, media_root=new_media)
    assert again.returncode != 0
    assert "is not empty" in again.stderr


def test_a_damaged_backup_is_refused_before_anything_is_restored(tmp_path):
    folder = tmp_path / "newsroom-20261205-000000"
    folder.mkdir()
    (folder / DATABASE_FILE).write_bytes(b"not a dump")
    (folder / "manifest.json").write_text('{"sha256": {"database.dump": "0000"}}')

    with pytest.raises(CommandError, match="missing or damaged"):
        call_command("restore", str(folder))
