"""Migrations run against a live site: an index on an existing table is built CONCURRENTLY.

A plain CREATE INDEX locks its table against writes for as long as the build takes,
minutes on a large table: no story could be saved meanwhile. Django's
`AddIndexConcurrently` (in a migration with `atomic = False`) builds it without
that lock. Migrations that had landed before this rule are left as they were.
"""

import re

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations
from django.db.migrations.loader import MigrationLoader

PROJECT_APPS = {
    "accounts", "articles", "images", "moderation", "newsroom", "partners", "sources", "topics",
    "wire",
}  # fmt: skip
# The last migration of each app before the rule; later ones are checked.
CHECKED_AFTER = {"articles": 11, "images": 1, "sources": 2, "topics": 6, "wire": 2}


LOADER = MigrationLoader(None, ignore_no_migrations=True)


def later_migrations():
    for (app, name), migration in sorted(LOADER.disk_migrations.items()):
        number = int(re.match(r"\d+", name).group())
        if app in PROJECT_APPS and number > CHECKED_AFTER.get(app, 0):
            yield migration


def indexed(field) -> bool:
    return bool(field.db_index or field.unique)


def had_index(migration, model: str, name: str) -> bool:
    """Whether the field was indexed before `migration` (an AlterField of its label builds none)."""
    before = LOADER.project_state((migration.app_label, migration.name), at_end=False)
    fields = before.models[migration.app_label, model].fields
    return name in fields and indexed(fields[name])


def locking_index_builds(migration) -> list[str]:
    """Operations of `migration` that would build an index on an existing table under lock."""
    created = {
        op.name.lower() for op in migration.operations if isinstance(op, migrations.CreateModel)
    }
    found = []
    for op in migration.operations:
        model = getattr(op, "model_name", "").lower()
        if model in created:
            continue
        if isinstance(op, migrations.AddIndex) and not isinstance(op, AddIndexConcurrently):
            found.append(f"AddIndex {op.index.name} on {model}")
        if isinstance(op, migrations.AddField) and indexed(op.field):
            found.append(f"AddField {model}.{op.name} with an index")
        if (
            isinstance(op, migrations.AlterField)
            and indexed(op.field)
            and not had_index(migration, model, op.name)
        ):
            found.append(f"AlterField {model}.{op.name} with an index")
        if isinstance(op, AddIndexConcurrently) and migration.atomic:
            found.append(f"AddIndexConcurrently {op.index.name} in an atomic migration")
    return found


def test_indexes_on_existing_tables_are_built_without_locking_them():
    offending = {
        f"{migration.app_label}.{migration.name}": found
        for migration in later_migrations()
        if (found := locking_index_builds(migration))
    }
    assert offending == {}, (
        "Build these with AddIndexConcurrently in a migration with atomic = False "
        "(a field: add it with db_index=False, then its index concurrently)."
    )


def test_the_rule_sees_a_locking_index_build():
    from django.db import models

    index = models.Index(fields=["status"], name="demo_status_idx")
    locking = type("Migration", (migrations.Migration,), {"atomic": True})("0099_x", "articles")
    locking.operations = [migrations.AddIndex("article", index)]
    online = type("Migration", (migrations.Migration,), {"atomic": False})("0099_y", "articles")
    online.operations = [AddIndexConcurrently("article", index)]

    assert locking_index_builds(locking) == ["AddIndex demo_status_idx on article"]
    assert locking_index_builds(online) == []


def test_the_rule_sees_an_index_added_to_a_field_but_not_a_new_label():
    from django.db import models

    labels = type("Migration", (migrations.Migration,), {"atomic": True})(
        "0017_interface_labels", "articles"
    )
    labels.operations = [
        migrations.AlterField("article", "slug", models.SlugField("address", max_length=120)),
        migrations.AlterField(
            "article", "dateline", models.CharField(max_length=100, db_index=True)
        ),
    ]
    assert locking_index_builds(labels) == ["AlterField article.dateline with an index"]
