"""Times written for machines (`<time datetime>`, meta tags, JSON-LD) are whole seconds."""

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Correction
from articles.structured_data import iso_time
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

# A stored time as the admin saves it: with microseconds.
SAVED = timezone.now().replace(microsecond=123456) - timedelta(hours=2)
WHOLE_SECONDS = r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}"


def test_iso_time_drops_the_fraction_and_keeps_the_offset():
    assert iso_time(SAVED) == timezone.localtime(SAVED).replace(microsecond=0).isoformat()
    assert iso_time(None) == ""


@pytest.fixture
def story():
    article = ArticleFactory(published=True, publish_at=SAVED, topics=["Grain"])
    Correction.objects.create(article=article, note="A name was wrong.", published_at=SAVED)
    ArticleFactory(published=True, publish_at=SAVED, topics=["Grain"])  # Related.
    return article


def test_story_page_writes_every_time_to_the_second(client, story):
    content = client.get(story.get_absolute_url()).content.decode()

    times = re.findall(r'<time datetime="([^"]*)"', content)
    published = re.findall(
        r'property="article:(?:published|modified)_time" content="([^"]*)"', content
    )
    data = json.loads(re.search(r'application/ld\+json">(.*?)</script>', content, re.S).group(1))
    written = [*times, *published, data["datePublished"], data["dateModified"]]
    assert len(times) >= 3  # Published, correction, related story.
    assert all(re.fullmatch(WHOLE_SECONDS, value) for value in written), written


def test_story_cards_write_their_time_to_the_second(client, story):
    content = client.get(story.section.get_absolute_url()).content.decode()

    times = re.findall(r'<time datetime="([^"]*)"', content)
    assert times
    assert all(re.fullmatch(WHOLE_SECONDS, value) for value in times), times
