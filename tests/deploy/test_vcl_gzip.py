"""deploy/varnish/newsroom.vcl compresses text answers once and serves them as each client takes."""

from __future__ import annotations

import gzip

import pytest

from tests.deploy.conftest import PUBLIC

PAGE = b"<!doctype html><title>A page</title>" + b"<p>The same paragraph again.</p>" * 200


def answer(origin, path: str, content_type: str, body: bytes = PAGE) -> None:
    origin.answer(path, headers={**PUBLIC, "Content-Type": content_type}, body=body)


@pytest.mark.parametrize(
    "content_type",
    [
        "text/html; charset=utf-8",
        "application/rss+xml; charset=utf-8",
        "application/json",
        "text/css",
        "text/javascript",
        "application/xml",
    ],
)
def test_text_is_served_gzipped_to_a_client_that_takes_gzip(client, origin, path, content_type):
    answer(origin, path, content_type)

    response = client.get(path, headers={"Accept-Encoding": "gzip"})

    assert response.headers["Content-Encoding"] == "gzip"
    assert response.num_bytes_downloaded < len(PAGE) / 5
    assert response.content == PAGE


def test_the_same_copy_is_served_plain_to_a_client_without_gzip(client, origin, path):
    answer(origin, path, "text/html; charset=utf-8")
    client.get(path, headers={"Accept-Encoding": "gzip"})

    plain = client.get(path, headers={"Accept-Encoding": "identity"})

    assert plain.headers["X-Cache"] == "HIT"
    assert "Content-Encoding" not in plain.headers
    assert plain.num_bytes_downloaded == len(PAGE)
    assert plain.content == PAGE


def test_images_are_not_compressed_again(client, origin, path):
    answer(origin, path, "image/png", body=b"\x89PNG" + b"\x00" * 4000)

    response = client.get(path, headers={"Accept-Encoding": "gzip"})

    assert "Content-Encoding" not in response.headers
    assert response.num_bytes_downloaded == 4004


def test_an_answer_the_origin_compressed_is_passed_on_as_it_is(client, origin, path):
    packed = gzip.compress(PAGE)
    origin.answer(
        path,
        headers={**PUBLIC, "Content-Type": "text/html", "Content-Encoding": "gzip"},
        body=packed,
    )

    response = client.get(path, headers={"Accept-Encoding": "gzip"})

    assert response.headers["Content-Encoding"] == "gzip"
    assert response.content == PAGE
