"""A photo whose resized copies are still being made takes its own shape on the page."""

import pytest
from playwright.sync_api import Page

from tests.factories import ArticleFactory, ImageFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("size", [(1000, 600), (600, 900)], ids=["landscape", "portrait"])
def test_the_placeholder_has_the_photos_shape_at_any_width(live_server, page: Page, size):
    photo = ImageFactory(renditions=False, file__width=size[0], file__height=size[1])
    article = ArticleFactory(published=True, lead_image=photo)
    for viewport_width in (360, 1024):
        page.set_viewport_size({"width": viewport_width, "height": 800})
        page.goto(live_server.url + article.get_absolute_url())
        box = page.locator(".lead-image .photo-placeholder").bounding_box()
        assert 300 < box["width"] <= viewport_width  # Fits the column, whatever its width.
        # The copies' <img> gets the same box (width and height attributes, `height: auto`).
        assert box["height"] == pytest.approx(box["width"] * size[1] / size[0], abs=1)
