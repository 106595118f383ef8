"""The front cache passes the admin wherever ADMIN_PATH puts it, and only there."""

from __future__ import annotations

import httpx
import pytest

from tests.deploy.conftest import Origin, start_varnish


@pytest.fixture(scope="module")
def moved(tmp_path_factory):
    origin = Origin()
    varnish = start_varnish(origin, tmp_path_factory.mktemp("varnish"), admin_path="office/desk/")
    yield origin, varnish
    varnish.stop()
    origin.stop()


@pytest.mark.parametrize("url", ["/office/desk/login/", "/office/desk", "/office/desk?next=/"])
def test_moved_admin_is_never_cached_and_keeps_its_cookies(moved, url):
    origin, varnish = moved
    cookie = {"Cookie": "csrftoken=abc"}
    with httpx.Client(base_url=varnish.url, timeout=10) as client:
        answers = [client.get(url, headers=cookie) for _ in range(2)]

    assert [a.headers["X-Cache"] for a in answers] == ["MISS", "MISS"]
    assert [r.cookie for r in origin.requests_for(url.split("?")[0])][-2:] == ["csrftoken=abc"] * 2


@pytest.mark.parametrize("url", ["/admin/login/", "/office/desktop/", "/office/"])
def test_other_paths_are_cached_as_usual(moved, url):
    _origin, varnish = moved
    with httpx.Client(base_url=varnish.url, timeout=10) as client:
        answers = [client.get(url).headers["X-Cache"] for _ in range(2)]

    assert answers == ["MISS", "HIT"]
