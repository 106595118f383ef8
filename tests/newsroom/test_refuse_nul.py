"""A NUL character anywhere in a request is a 400 that says so, before any query."""

import pytest
from django.urls import reverse

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/search/?q=zeppelin%00",
        "/search/?q=zeppelin&topic=a%00b",
        "/sitemap-articles.xml?p=%00",
        "/?page=%00",
        "/?%00=x",
        "/topics/%00/",
        "/topics/a%00b/",
        "/articles/1/%00/",
    ],
)
def test_a_nul_in_the_address_or_query_is_refused_with_a_reason(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()
    assert response["Content-Type"].startswith("text/plain")


def test_the_api_says_so_in_json(client):
    response = client.get("/api/v1/articles/", {"topic": "energy\x00"})
    assert response.status_code == 400
    assert "query string holds a NUL character" in response.json()["detail"]


def test_a_nul_in_a_form_field_reaches_no_form(client, superuser, django_assert_num_queries):
    client.force_login(superuser)
    with django_assert_num_queries(0):
        response = client.post(reverse("admin:topics_topic_add"), {"name": "Energy\x00"})
    assert response.status_code == 400
    assert "form field holds a NUL character ('name')" in response.content.decode()


def test_a_nul_in_the_session_cookie_reaches_no_session_lookup(client, django_assert_num_queries):
    client.cookies["sessionid"] = "abcdefgh\x00ijkl"
    with django_assert_num_queries(0):
        response = client.get(reverse("admin:index"))
    assert response.status_code == 400


def test_a_page_without_a_nul_is_served_as_ever(client):
    article = ArticleFactory(published=True)
    assert client.get(article.get_absolute_url(), {"q": "Вишиванка\x01"}).status_code == 200
