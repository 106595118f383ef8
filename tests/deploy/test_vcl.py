"""What deploy/varnish/newsroom.vcl keeps, passes, normalises and purges."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.deploy.conftest import PUBLIC, Origin, start_varnish


def test_public_answer_is_a_miss_then_a_hit_with_age(client, origin, path):
    first = client.get(path)
    second = client.get(path)

    assert (first.status_code, first.headers["X-Cache"]) == (200, "MISS")
    assert (second.status_code, second.headers["X-Cache"]) == (200, "HIT")
    assert int(second.headers["Age"]) >= 0
    assert second.content == b"page"
    assert len(origin.requests_for(path)) == 1


def test_head_is_answered_from_the_same_copy(client, origin, path):
    client.get(path)

    assert client.head(path).headers["X-Cache"] == "HIT"
    assert len(origin.requests_for(path)) == 1


def test_readers_cookies_never_reach_the_origin(client, origin, path):
    client.get(path, headers={"Cookie": "_ga=GA1.1.1; csrftoken=abc"})
    hit = client.get(path, headers={"Cookie": "theme=dark"})

    assert hit.headers["X-Cache"] == "HIT"
    assert [r.cookie for r in origin.requests_for(path)] == [None]


def test_signed_in_editor_is_passed_with_cookie_and_never_cached(client, origin, path):
    cookie = {"Cookie": "csrftoken=abc; sessionid=s3cret"}
    first = client.get(path, headers=cookie)
    second = client.get(path, headers=cookie)

    assert [first.headers["X-Cache"], second.headers["X-Cache"]] == ["MISS", "MISS"]
    assert [r.cookie for r in origin.requests_for(path)] == [cookie["Cookie"]] * 2
    # Nor did the editor's pass leave a copy for readers.
    assert client.get(path).headers["X-Cache"] == "MISS"


@pytest.mark.parametrize("prefix", ["/admin", "/preview"])
def test_admin_and_previews_are_never_cached(client, origin, path, prefix):
    url = prefix + path
    for _ in range(2):
        assert client.get(url).headers["X-Cache"] == "MISS"

    assert len(origin.requests_for(url)) == 2


def test_health_check_is_never_cached(client, origin):
    before = len(origin.requests_for("/healthz"))
    for _ in range(2):
        assert client.get("/healthz").headers["X-Cache"] == "MISS"

    assert len(origin.requests_for("/healthz")) == before + 2


def test_post_is_never_cached(client, origin, path):
    client.get(path)
    post = client.post(path, content=b"x=1")

    assert post.headers["X-Cache"] == "MISS"
    assert [r.method for r in origin.requests_for(path)] == ["GET", "POST"]


def test_request_with_authorization_is_never_cached(client, origin, path):
    headers = {"Authorization": "Bearer token"}
    for _ in range(2):
        assert client.get(path, headers=headers).headers["X-Cache"] == "MISS"

    assert len(origin.requests_for(path)) == 2


@pytest.mark.parametrize(
    "headers",
    [
        {**PUBLIC, "Set-Cookie": "csrftoken=x"},
        {"Cache-Control": "private, max-age=60"},
        {},
    ],
    ids=["set-cookie", "private", "no-cache-control"],
)
def test_answer_that_is_not_public_is_never_cached(client, origin, path, headers):
    origin.answer(path, headers=headers)
    for _ in range(2):
        assert client.get(path).headers["X-Cache"] == "MISS"

    assert len(origin.requests_for(path)) == 2


def test_query_strings_are_sorted_and_stripped_of_tracking(client, origin, path):
    client.get(f"{path}?b=2&a=1")
    variants = [
        f"{path}?a=1&b=2",
        f"{path}?utm_source=x&a=1&utm_medium=y&b=2",
        f"{path}?b=2&fbclid=1&a=1&gclid=2&mc_cid=3&mc_eid=4",
    ]

    assert [client.get(url).headers["X-Cache"] for url in variants] == ["HIT"] * 3
    assert [r.url for r in origin.requests_for(path)] == [f"{path}?a=1&b=2"]


def test_query_of_only_tracking_parameters_is_the_bare_page(client, origin, path):
    client.get(path)

    assert client.get(f"{path}?utm_campaign=x").headers["X-Cache"] == "HIT"
    assert client.get(f"{path}?").headers["X-Cache"] == "HIT"
    assert [r.url for r in origin.requests_for(path)] == [path]


def test_surrogate_keys_never_reach_clients(client, origin, path):
    origin.answer(path, headers={**PUBLIC, "Surrogate-Key": "story-1 latest"})
    miss, hit = client.get(path), client.get(path)

    for response in (miss, hit):
        assert "Surrogate-Key" not in response.headers
        assert "xkey" not in response.headers


def test_purge_removes_exactly_the_tagged_objects(client, origin, path):
    tagged, other = f"{path}story", f"{path}other"
    origin.answer(tagged, headers={**PUBLIC, "Surrogate-Key": f"s{path[1:-1]} latest"})
    origin.answer(other, headers={**PUBLIC, "Surrogate-Key": "section-9"})
    client.get(tagged), client.get(other)

    purge = client.request("PURGE", "/", headers={"xkey-purge": f"nothing s{path[1:-1]}"})

    assert (purge.status_code, purge.headers["X-Purged"]) == (200, "1")
    assert client.get(tagged).headers["X-Cache"] == "MISS"
    assert client.get(other).headers["X-Cache"] == "HIT"


def test_purge_counts_every_object_a_key_tags(client, origin, varnish, path):
    key = f"topic{path[1:-1]}"
    for page in (f"{path}a", f"{path}b"):
        origin.answer(page, headers={**PUBLIC, "Surrogate-Key": f"{key} {page}"})
        client.get(page)

    assert varnish.purge(key) == 2
    assert varnish.purge(key) == 0


def test_purge_without_keys_is_refused(client):
    assert client.request("PURGE", "/").status_code == 400


def test_purge_from_outside_the_allowed_addresses_is_refused(origin, tmp_path, path):
    origin.answer(path, headers={**PUBLIC, "Surrogate-Key": "refused"})
    varnish = start_varnish(origin, tmp_path, purgers=["192.0.2.1"])
    try:
        with httpx.Client(base_url=varnish.url) as client:
            client.get(path)
            purge = client.request("PURGE", "/", headers={"xkey-purge": "refused"})
            after = client.get(path)
    finally:
        varnish.stop()

    assert purge.status_code == 403
    assert "X-Purged" not in purge.headers
    assert after.headers["X-Cache"] == "HIT"


def test_concurrent_misses_reach_the_origin_once(varnish, origin, path):
    origin.answer(path, delay=0.5)

    def fetch(_):
        return httpx.get(varnish.url + path, timeout=10).status_code

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(fetch, range(8)))

    assert statuses == [200] * 8
    assert len(origin.requests_for(path)) == 1


@pytest.fixture
def short_lived(tmp_path):
    """An origin of its own with Varnish probing it every 0.2 s, to be stopped."""
    origin = Origin()
    origin.answer("/cached/", headers={"Cache-Control": "public, max-age=1, s-maxage=1"})
    varnish = start_varnish(origin, tmp_path, probe_interval=0.2)
    yield origin, varnish
    varnish.stop()
    origin.stop()


def test_stale_copy_is_served_while_the_origin_is_down(short_lived):
    origin, varnish = short_lived
    with httpx.Client(base_url=varnish.url) as client:
        client.get("/cached/")
        origin.stop()
        time.sleep(1.5)  # The copy has expired and the probes have found the origin sick.
        answers = [client.get("/cached/") for _ in range(2)]

    assert [(a.status_code, a.headers["X-Cache"]) for a in answers] == [(200, "HIT")] * 2
    assert answers[1].content == b"page"


def test_failed_refresh_keeps_the_stale_copy(short_lived):
    origin, varnish = short_lived
    with httpx.Client(base_url=varnish.url) as client:
        client.get("/cached/")
        time.sleep(1.2)  # Expired; the origin is healthy but now fails the page.
        origin.answer("/cached/", status=500, body=b"error")
        stale = client.get("/cached/")  # Served at once; refreshed in the background.
        time.sleep(0.3)
        after = client.get("/cached/")

    assert (stale.status_code, stale.content) == (200, b"page")
    assert (after.status_code, after.content, after.headers["X-Cache"]) == (200, b"page", "HIT")
    # The refresh was tried (each stale hit tries again), and failed harmlessly.
    assert len(origin.requests_for("/cached/")) >= 2


def test_page_never_cached_gets_the_unavailable_page_while_the_origin_is_down(short_lived):
    origin, varnish = short_lived
    origin.stop()
    time.sleep(0.8)
    answer = httpx.get(varnish.url + "/never-seen/")

    assert answer.status_code == 503
    assert answer.headers["Retry-After"] == "30"
    assert answer.headers["Cache-Control"] == "no-store"
    assert answer.headers["Content-Type"].startswith("text/html")
    assert "The site is briefly unavailable; please try again in a minute." in answer.text


def test_a_read_goes_to_the_other_origin_before_the_probe_marks_a_stopped_one_sick(tmp_path):
    first, second = Origin(), Origin()
    # Probes every 10 s: both stay "healthy" for the whole test.
    varnish = start_varnish(first, tmp_path, also=(second,), probe_interval=10)
    try:
        first.stop()
        with httpx.Client(base_url=varnish.url, timeout=10) as client:
            answers = [client.get(f"/round-robin-{number}/") for number in range(6)]
            form = client.post("/round-robin-form/", content=b"x=1")
    finally:
        varnish.stop()
        second.stop()

    # Every read was answered; half of them were first tried on the stopped origin.
    assert [answer.status_code for answer in answers] == [200] * 6
    assert len([r for r in second.received if r.from_client and r.method == "GET"]) == 6
    # A form is never sent twice: it got the origin it was given, stopped or not.
    assert form.status_code in {200, 503}
    assert len([r for r in second.received if r.method == "POST"]) <= 1
