"""The migrations that bring moderation to an existing vocabulary."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db

BEFORE = [("topics", "0001_initial")]
AFTER = [("topics", "0005_topic_moderators_permissions")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_vocabulary():
    """Topics as they were before moderation, then the migrations applied over them.

    Outside a test transaction: going back and forth passes migrations that build
    indexes concurrently, which cannot run inside one. Every migration is applied
    again afterwards.
    """
    apps = migrate(BEFORE)
    Topic = apps.get_model("topics", "Topic")
    Topic.objects.create(name="Russia", slug="russia")
    Topic.objects.create(name="Rússia", slug="russia-1")  # Allowed then, a clash now.
    apps = migrate(AFTER)
    yield apps.get_model("topics", "Topic")
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_existing_topics_end_up_approved(old_vocabulary):
    assert set(old_vocabulary.objects.values_list("status", flat=True)) == {"approved"}


@pytest.mark.django_db(transaction=True)
def test_existing_names_that_would_clash_are_told_apart_for_a_merge(old_vocabulary):
    names = sorted(old_vocabulary.objects.values_list("name", flat=True))
    assert names[0] == "Russia"
    assert names[1].startswith("Rússia (duplicate ")


def test_topic_moderators_get_the_moderation_permission(groups):
    codenames = set(groups["Topic moderators"].permissions.values_list("codename", flat=True))
    assert {"moderate_topic", "view_topiclogentry", "add_topicalias"} <= codenames


@pytest.mark.parametrize("group", ["Reporters", "Editors"])
def test_reporters_and_editors_do_not_get_it(groups, group):
    codenames = set(groups[group].permissions.values_list("codename", flat=True))
    assert "moderate_topic" not in codenames
