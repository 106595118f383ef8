"""Demo content loaded by the ``load_demo`` command: sources, sections, writers, stories, photos.

The content is plain data in the JSON files beside this module, read once on import.
Apart from the first story, which retells a real Ukrinform report (and its Ukrainian
edition), the stories, officials, experts and figures are fictional but plausible. The
Ukrainian edition's stories come last, the first of them the seed story's translation.
Ukrainian stories tag the same topics as English ones, by their English names;
`TOPIC_NAMES` gives the topics their names in the other editions.
"""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent


@dataclass(frozen=True)
class DemoSource:
    slug: str
    name: str
    kind: str  # one of "agency", "ministry", "international", "outlet"
    homepage_url: str
    attribution: str  # wording such as "Ukrinform reports"
    country: str = ""  # ISO 3166 code; international bodies have none
    language: str = "en"


@dataclass(frozen=True)
class DemoSection:
    slug: str
    name: str
    description: str


@dataclass(frozen=True)
class DemoWriter:
    username: str  # lowercase ascii, e.g. "okovalenko"
    first_name: str
    last_name: str


@dataclass(frozen=True)
class DemoStory:
    slug: str  # lowercase ascii slug derived from the headline, unique, <= 80 chars
    headline: str
    standfirst: str  # the lead: one or two sentences
    paragraphs: tuple[str, ...]  # plain text (no HTML), 3 to 7 paragraphs
    dateline: str  # place name, e.g. "Kyiv", "Strasbourg", "Brussels"
    section: str  # a DemoSection slug
    source: str  # a DemoSource slug
    source_url: str  # fictional but plausible URL at the source's homepage domain
    topics: tuple[str, ...]  # 3 to 6 topic names, properly capitalised
    writers: tuple[str, ...]  # 1 or 2 DemoWriter usernames
    status: str  # "draft", "review", "published" or "unpublished"
    hours_ago: float  # publish time relative to loading; negative means scheduled
    language: str = "en"  # one of settings.LANGUAGES
    translation_of: str = ""  # the slug of the original story (listed earlier), for a translation


@dataclass(frozen=True)
class DemoPhoto:
    story: str  # a DemoStory slug
    scene: str  # a drawing in newsroom.demo_illustrations.SCENES; its alt text comes with it
    caption: str
    alt_text: str = ""  # in the story's language, when it is not English (the scene's own)


@dataclass(frozen=True)
class DemoWireItem:
    source: str  # a DemoSource slug
    guid: str
    headline: str
    summary: str
    paragraphs: tuple[str, ...]
    categories: tuple[str, ...]
    hours_ago: float


def read(name: str) -> Any:
    """Return the data of the file `name` beside this module."""
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def build(cls: type, items: list[dict]) -> tuple:
    """Return `items` as `cls` instances; JSON lists become the tuples the fields hold."""
    return tuple(
        cls(
            **{
                key: tuple(value) if isinstance(value, list) else value
                for key, value in fields.items()
            }
        )
        for fields in items
    )


SOURCES: tuple[DemoSource, ...] = build(DemoSource, read("sources.json"))
SECTIONS: tuple[DemoSection, ...] = build(DemoSection, read("sections.json"))
# The sections' names in the other editions, by slug.
SECTION_NAMES: dict[str, dict[str, str]] = read("section_names.json")
WRITERS: tuple[DemoWriter, ...] = build(DemoWriter, read("writers.json"))
STORIES: tuple[DemoStory, ...] = build(DemoStory, read("stories.json"))
# (story slug, correction note): a correction readers see under the story.
CORRECTIONS: tuple[tuple[str, str], ...] = tuple(
    (item["story"], item["note"]) for item in read("corrections.json")
)

PHOTO_CREDIT = "Illustration: Newsroom demo"
# Lead photos: drawn illustrations, no real photographs. Most published stories have one;
# a few stories are left without, as many are in a real newsroom.
PHOTOS: tuple[DemoPhoto, ...] = build(DemoPhoto, read("photos.json"))

# The topics' names in the other editions, by their English (default) names. A topic is one
# subject in every language: Ukrainian stories tag the same topics as English ones.
TOPIC_NAMES: dict[str, dict[str, str]] = read("topic_names.json")

# Wire copy waiting in the inbox for someone to take.
WIRE: tuple[DemoWireItem, ...] = build(DemoWireItem, read("wire.json"))
