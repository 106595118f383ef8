"""The news front and a story's page on a phone and a wide screen, in a real browser.

The lead photo is shown at once (not lazy, fetched first), nothing scrolls sideways,
nothing moves while the photos arrive, and the Latest rail sits beside the lead on a
wide screen and after it on a phone. Screenshots go to var/screenshots/.
"""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Page, Route

from articles.models import Pin
from tests.factories import ArticleFactory, ImageFactory, SectionFactory

pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
WIDTHS = {"phone": 390, "wide": 1280}

# Scroll to the foot so lazy photos load too, then add up the layout shifts since the
# page began (`buffered`), leaving out those that follow input, as CLS does.
LAYOUT_SHIFT = """async () => {
  window.scrollTo(0, document.scrollingElement.scrollHeight);
  await new Promise((done) => setTimeout(done, 300));
  await Promise.all([...document.images].map((img) => img.decode().catch(() => null)));
  window.scrollTo(0, 0);
  return await new Promise((done) => {
    let total = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
    }).observe({type: "layout-shift", buffered: true});
    setTimeout(() => done(total), 300);
  });
}"""


@pytest.fixture
def front(media_root):
    economy, culture = SectionFactory(name="Economy"), SectionFactory(name="Culture")
    stories = [
        ArticleFactory(
            published=True,
            headline=f"Grain exports reach a new high, report {n}",
            section=economy if n % 2 else culture,
            # Photos of several shapes: cards show them all in one.
            lead_image=ImageFactory(file__width=1200, file__height=600 + 40 * (n % 10)),
            topics=["Grain"],
        )
        for n in range(24)  # More than a page: the section blocks show the older ones.
    ]
    # Two pins: the first leads the page, the other runs in the breaking strip.
    for position, story in enumerate(stories[:2]):
        Pin.objects.create(
            article=story, position=position, ends_at=timezone.now() + timedelta(hours=6)
        )
    return stories


@pytest.fixture
def media(page: Page, media_root):
    """Serve the uploaded photos' copies, as the web server in front of Django does."""

    def serve(route: Route) -> None:
        path = media_root / route.request.url.split(settings.MEDIA_URL, 1)[1]
        if path.is_file():
            route.fulfill(path=path)
        else:
            route.fulfill(status=404)

    page.route(f"**{settings.MEDIA_URL}**", serve)
    return media_root


def open_page(page: Page, url: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(url, wait_until="load")


def assert_reads_in_place(page: Page, name: str, lead_photo: str) -> None:
    photo = page.locator(lead_photo)
    assert photo.is_visible()
    assert photo.get_attribute("loading") is None
    assert photo.get_attribute("fetchpriority") == "high"
    assert photo.evaluate("img => img.complete && img.naturalWidth > 0")
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
    assert page.evaluate(LAYOUT_SHIFT) == pytest.approx(0, abs=0.01)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


@pytest.mark.parametrize("screen", WIDTHS)
def test_the_home_page_is_a_news_front(live_server, page: Page, media, front, screen):
    open_page(page, live_server.url, WIDTHS[screen])
    assert_reads_in_place(page, f"home-{screen}", ".card--lead img")
    assert page.locator(".breaking").get_by_role("link").count() == 1
    assert page.locator(".front__secondary img").count() == 4
    assert page.locator(".section-block").count() == 2
    lead = page.locator(".front__lead").bounding_box()
    rail = page.locator(".front__rail").bounding_box()
    if screen == "wide":  # Beside the lead: to its right, from the same height.
        assert rail["x"] >= lead["x"] + lead["width"]
        assert rail["y"] == pytest.approx(lead["y"], abs=2)
    else:  # Below it, full width.
        assert rail["y"] >= lead["y"] + lead["height"]
        assert rail["width"] == pytest.approx(lead["width"], abs=2)


@pytest.mark.parametrize("screen", WIDTHS)
def test_a_story_page_shows_its_photo_wide(live_server, page: Page, media, front, screen):
    story = front[5]
    open_page(page, live_server.url + story.get_absolute_url(), WIDTHS[screen])
    assert_reads_in_place(page, f"story-{screen}", ".story .lead-image img")
    figure = page.locator(".story .lead-image").bounding_box()
    text = page.locator(".story .body").bounding_box()
    assert figure["width"] >= text["width"]
    caption = page.locator(".story .lead-image figcaption")
    assert "Photo: Ukrinform" in caption.inner_text()


@pytest.mark.parametrize("screen", WIDTHS)
def test_a_section_page_leads_with_a_photo(live_server, page: Page, media, front, screen):
    open_page(page, live_server.url + front[0].section.get_absolute_url(), WIDTHS[screen])
    assert_reads_in_place(page, f"section-{screen}", ".card--lead img")
    assert page.locator(".listing .card-grid img").count() == 3
