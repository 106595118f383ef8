"""A story's lead photo on its page, in cards, Open Graph and JSON-LD."""

import json
import re

import pytest

from tests.factories import ArticleFactory, ImageFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def story_with_photo():
    return ArticleFactory(published=True, lead_image=ImageFactory(), topics=["Grain"])


def test_the_article_page_shows_the_photo_in_responsive_sizes(client, story_with_photo):
    content = client.get(story_with_photo.get_absolute_url()).content.decode()
    image = story_with_photo.lead_image
    assert f'srcset="{image.srcset()}"' in content
    assert 'sizes="(min-width: 62rem) 60rem, calc(100vw - 2rem)"' in content
    assert 'alt="A grain ship leaving the port of Odesa at dawn"' in content
    assert 'width="800" height="480"' in content


def test_the_article_page_credits_and_captions_the_photo(client, story_with_photo):
    content = client.get(story_with_photo.get_absolute_url()).content.decode()
    assert (
        '<figcaption>The first ship left at dawn. <span class="credit">Photo: Ukrinform</span>'
        in content
    )


def test_open_graph_and_twitter_share_the_large_photo(client, story_with_photo):
    content = client.get(story_with_photo.get_absolute_url()).content.decode()
    share = story_with_photo.lead_image.share_rendition
    assert f'<meta property="og:image" content="http://127.0.0.1:8000{share.url}">' in content
    assert '<meta property="og:image:width" content="1000">' in content
    assert '<meta name="twitter:card" content="summary_large_image">' in content


def test_json_ld_describes_the_photo(client, story_with_photo):
    content = client.get(story_with_photo.get_absolute_url()).content.decode()
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', content, re.S).group(1)
    )
    [image] = data["image"]
    assert image["@type"] == "ImageObject"
    assert image["url"].startswith("http://127.0.0.1:8000/media/")
    assert (image["width"], image["height"], image["creditText"]) == (1000, 600, "Photo: Ukrinform")


def test_json_ld_offers_a_large_photo_in_the_three_ratios_google_asks_for(client):
    article = ArticleFactory(
        published=True, lead_image=ImageFactory(file__width=2400, file__height=1600)
    )
    content = client.get(article.get_absolute_url()).content.decode()
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', content, re.S).group(1)
    )
    sizes = [(image["width"], image["height"]) for image in data["image"]]
    # 16:9, 4:3 and 1:1 centre crops, then the whole photo as shared on social sites.
    assert sizes == [(1200, 675), (1200, 900), (1200, 1200), (1200, 800)]
    assert len({image["url"] for image in data["image"]}) == 4
    assert all(image["creditText"] == "Photo: Ukrinform" for image in data["image"])


def test_json_ld_lists_no_crop_narrower_than_1200_pixels(client, story_with_photo):
    # A 1000-pixel photo's crops are smaller: only the whole photo is listed.
    content = client.get(story_with_photo.get_absolute_url()).content.decode()
    assert "-16x9.jpg" not in content and "-1x1.jpg" not in content
    assert story_with_photo.lead_image.share_rendition.url in content


def test_the_lead_card_on_the_home_page_shows_the_photo(client, story_with_photo):
    content = client.get("/").content.decode()
    assert story_with_photo.lead_image.default_rendition.url in content


def test_only_the_lead_photo_of_the_home_page_loads_first(client):
    stories = [ArticleFactory(published=True, lead_image=ImageFactory()) for _ in range(6)]
    content = client.get("/").content.decode()
    photos = re.findall(r"<img [^>]*>", content)
    assert len(photos) == 5  # the lead and four more stories; the rail has none
    assert 'fetchpriority="high"' in photos[0] and 'loading="lazy"' not in photos[0]
    assert stories[-1].lead_image.default_rendition.url in photos[0]
    assert all('loading="lazy"' in p and "fetchpriority" not in p for p in photos[1:])


def test_a_section_page_leads_with_a_photo_then_a_grid_then_a_list(client):
    first = ArticleFactory(published=True, lead_image=ImageFactory())
    section = first.section
    for _ in range(5):
        ArticleFactory(published=True, section=section, lead_image=ImageFactory())
    response = client.get(section.get_absolute_url())
    assert [len(response.context[k]) for k in ("grid", "rest")] == [3, 2]
    content = response.content.decode()
    assert content.count('fetchpriority="high"') == 1
    assert content.count("card--photo-top") == 3
    assert content.count("card--photo-side") == 2


def test_a_photo_costs_the_article_page_no_query(client, django_assert_num_queries):
    article = ArticleFactory(
        published=True,
        lead_image=ImageFactory(),
        authors=UserFactory.create_batch(3),
        topics=[f"Topic {n}" for n in range(5)],
    )
    # article with source, section and photo, bylines, topics, related, navigation
    with django_assert_num_queries(5):
        assert client.get(article.get_absolute_url()).status_code == 200


def test_photos_cost_the_home_page_no_query(client, django_assert_num_queries):
    for _ in range(5):
        ArticleFactory(published=True, lead_image=ImageFactory())
    # pins, latest (photos joined), navigation, section blocks, bylines, topics
    with django_assert_num_queries(6):
        assert client.get("/").status_code == 200


def test_changing_a_photo_purges_its_stories_from_the_front_cache(
    story_with_photo, front_cache, django_capture_on_commit_callbacks
):
    image = story_with_photo.lead_image
    image.caption = "A new caption."
    with django_capture_on_commit_callbacks(execute=True):
        image.save()
    assert front_cache.purged == [{f"story-{story_with_photo.pk}", "story-all"}]
