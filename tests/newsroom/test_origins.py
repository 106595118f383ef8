"""Several origins and workers on one database: nothing one process keeps goes wrong
when another process changed the data, and scheduled work runs once."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from articles.models import Correction, Section
from frontcache.tasks import purge_due, schedule_purges
from sources.models import Source
from tests.databases import database_url
from tests.factories import ArticleFactory, UserFactory
from topics.models import Topic
from wire.tasks import ingest_wire, schedule_ingest

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture
def fragment_cache(settings):
    """Cards kept rendered in this process, as production keeps them."""
    settings.CACHES = {
        **settings.CACHES,
        "fragments": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "test-origins-fragments",
        },
    }


@pytest.mark.django_db
def test_a_kept_card_shows_names_another_origin_changed(client, fragment_cache):
    author = UserFactory(username="kovalenko", first_name="Olena", last_name="Kovalenko")
    ArticleFactory(published=True, authors=[author], topics=["Grain exports"])
    assert "Olena Kovalenko" in client.get("/").content.decode()  # Now kept in this process.

    # Another origin renames them: no signal reaches this process.
    type(author).objects.filter(pk=author.pk).update(first_name="Olha")
    Topic.objects.filter(name="Grain exports").update(name="Grain trade")
    Source.objects.update(name="Ukrinform")

    page = client.get("/").content.decode()
    assert "Olha Kovalenko" in page and "Olena" not in page
    assert "Grain trade" in page and "Grain exports" not in page
    assert "Ukrinform" in page


@pytest.mark.django_db
def test_a_kept_story_page_shows_a_section_renamed_elsewhere(client, fragment_cache):
    story = ArticleFactory(published=True)
    client.get(story.get_absolute_url())

    Section.objects.filter(pk=story.section_id).update(name="Frontline", names={})

    assert "Frontline" in client.get(story.get_absolute_url()).content.decode()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("schedule", "task"), [(schedule_ingest, ingest_wire), (schedule_purges, purge_due)]
)
def test_workers_starting_together_queue_one_run(schedule, task):
    barrier = threading.Barrier(6)
    queued = []

    def start() -> None:
        try:
            barrier.wait()
            queued.append(schedule())
        finally:
            connection.close()

    threads = [threading.Thread(target=start) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(queued) == [False] * 5 + [True]
    assert DBTaskResult.objects.filter(task_path=task.module_path).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_never_run_the_same_ingest_twice():
    due = [ingest_wire.enqueue().id for _ in range(8)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATABASE_")}
    env |= {"DEBUG": "true", "DATABASE_URL": database_url()}
    command = [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"]
    workers = [
        subprocess.Popen(  # Two machines' workers, polling the same queue.
            [*command, "--worker-id", f"machine-{n}"],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in (1, 2)
    ]
    for worker in workers:
        _, errors = worker.communicate(timeout=120)
        assert worker.returncode == 0, errors[-2000:]

    ran = DBTaskResult.objects.filter(pk__in=due)
    assert sorted(ran.values_list("status", flat=True)) == ["SUCCESSFUL"] * 8
    # Each claimed by exactly one worker, once.
    assert [len(ids) for ids in ran.values_list("worker_ids", flat=True)] == [1] * 8
    # The last to finish queued the next run, and only one.
    assert (
        DBTaskResult.objects.filter(task_path=ingest_wire.module_path, status="READY").count() == 1
    )


@pytest.mark.django_db
def test_a_kept_story_page_shows_a_correction_edited_on_its_own(client, fragment_cache):
    story = ArticleFactory(published=True)
    correction = Correction.objects.create(article=story, note="The ship carried 30,000 t.")
    assert "30,000 t" in client.get(story.get_absolute_url()).content.decode()

    # Edited later on the corrections' own admin page: the story itself is not saved.
    correction.note = "The ship carried 40,000 t."
    correction.save()

    assert "40,000 t" in client.get(story.get_absolute_url()).content.decode()
