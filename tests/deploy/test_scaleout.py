"""Drills on the scale-out stack, with real parts: Varnish in front of two gunicorn origins,
a PostgreSQL primary with a streaming replica, photos in an S3 API server, Redis and the
task worker (`deploy.stack.Stack`, as `make stack STACK_ORIGINS=2 STACK_REPLICA=1
STACK_MEDIA=s3` runs it). The drills themselves are in deploy/scaleout.py.

The stack is started once for the module (migrations and the demo newsroom); each
drill takes one part away or slows it, and gives it back.
"""

from __future__ import annotations

import os
import shutil

import httpx
import pytest

from deploy.objectstore import missing as s3_missing
from deploy.scaleout import MAX_LAG, Newsroom, scale_out_stack
from deploy.servers import redis_server
from deploy.varnish import SEARCH_PATH
from deploy.varnish import missing as varnish_missing


def unavailable() -> str | None:
    if reason := varnish_missing() or s3_missing():
        return reason
    if redis_server() is None:
        return "redis-server is not installed (Debian: apt-get install redis-server)"
    if shutil.which("wrk", path=SEARCH_PATH) is None:
        return "wrk is not installed (Debian: apt-get install wrk)"
    return None


@pytest.fixture(scope="module")
def newsroom(tmp_path_factory):
    if reason := unavailable():
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    with scale_out_stack(tmp_path_factory.mktemp("stack")) as stack:
        yield Newsroom(stack)


def test_healthz_names_every_part_and_no_address(newsroom):
    answer = newsroom.health()

    assert answer.status_code == 200
    report = answer.json()
    assert report["status"] == "ok"
    assert report["database"] == report["cache"] == report["storage"] == "ok"
    assert list(report["replicas"]) == ["replica1"]
    assert report["replicas"]["replica1"]["state"] == "ok"
    assert report["replicas"]["replica1"]["lag_seconds"] < MAX_LAG
    stack = newsroom.stack
    for secret in ["127.0.0.1", "postgres", str(stack.primary_port), stack.env["SECRET_KEY"]]:
        assert secret not in answer.text


def test_a_story_published_on_one_origin_shows_on_the_other_within_a_second(newsroom):
    figures = newsroom.publish_across_origins()

    assert figures["home_was_cached"]
    assert figures["seconds_until_shown"] < 1.0
    assert figures["shown_by_origin_2"]


def test_a_lagging_replica_never_makes_readers_see_the_past(newsroom):
    figures = newsroom.replica_lag(delay=30)

    assert figures["editor_saw_own_publish"] and figures["editor_saw_own_unpublish"]
    # Shown within the lag limit (the purge waited that long for the replica, then left
    # it out), and never missing again; never shown again once unpublished.
    assert figures["seconds_until_shown"] is not None
    assert figures["seconds_until_shown"] <= MAX_LAG + 2
    assert figures["story_page_after_publish"] == 200
    assert figures["stale_answers"] == 0
    assert figures["server_errors"] == 0


def test_readers_are_served_by_the_primary_while_the_replica_is_stopped(newsroom):
    figures = newsroom.replica_stopped()

    assert figures["statuses"] == {200: 40}
    assert figures["healthz"] == 200
    assert figures["report"]["status"] == "degraded"
    assert figures["report"]["replicas"]["replica1"]["state"] == "unavailable"
    assert figures["report"]["down"] == ["replicas"]


def test_no_read_fails_once_a_stopped_origin_is_marked_sick(newsroom):
    figures = newsroom.origin_stopped()

    assert figures["once_sick"]["requests"] > 0
    assert figures["once_sick"]["failed"] == 0
    # Reads cut off or refused by the stopped origin were asked of the other one.
    assert figures["while_marked_sick"]["failed"] == 0


def test_pages_and_saves_go_on_while_redis_is_stopped(newsroom):
    figures = newsroom.redis_stopped()

    assert figures["statuses"] == {200: 10}
    assert (figures["healthz"], figures["down"]) == (200, ["cache"])
    assert figures["published_and_shown"]


def test_a_photo_lives_and_dies_in_object_storage(newsroom, tmp_path):
    figures = newsroom.photo_lifecycle(tmp_path)

    assert figures["renditions"] == "ready"
    assert figures["page"] == 200
    assert figures["copies"], "the story's page names no copy in object storage"
    assert set(figures["served"].values()) == {(200, "image/jpeg")}
    assert figures["copies_with_exif"] == []
    assert not figures["original_named_on_page"]
    # Nothing a reader can reach is left once the story and the photo are deleted.
    assert set(figures["after_deletion"].values()) <= {403, 404}
    assert figures["story_page_after_deletion"] == 404


def test_the_site_answers_through_the_front_cache_from_either_origin(newsroom):
    pages = [newsroom.front.get(f"/?either={number}") for number in range(4)]
    direct = [httpx.get(newsroom.origin(number) + "/", timeout=10) for number in range(2)]

    assert [page.status_code for page in pages + direct] == [200] * 6
