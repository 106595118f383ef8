"""The API's documented shapes (for the OpenAPI document and response validation)."""

from __future__ import annotations

from typing import Annotated, Literal

from ninja import Field, Schema


class Text(Schema):
    role: str
    contentType: str
    value: str


class Body(Text):
    charCount: int
    wordCount: int


class Link(Schema):
    name: str
    uri: str | None = None
    rel: str | None = None
    role: str | None = None


class AltId(Schema):
    role: str
    value: str


class Standard(Schema):
    name: str
    version: str
    schema_: str = Field(alias="schema", serialization_alias="schema")


class Rendition(Schema):
    """One copy of a picture: a JPEG of the given size."""

    name: str = Field(description="`800w`, or `1200w-16x9` for a centre crop")
    href: str
    contentType: str
    width: int
    height: int
    sizeInBytes: int | None = None
    aspectRatio: str | None = Field(None, description="A centre crop's ratio, e.g. `16:9`")


class Picture(Schema):
    """A story's lead photo as a ninjs `picture` association."""

    name: str
    rel: Literal["lead-image"]
    uri: str
    type: str
    representationType: str
    headlines: list[Text]
    descriptions: list[Text]
    renditions: list[Rendition]
    by: str | None = Field(None, description="The photo's credit")


class Translation(Schema):
    """The same news in another language: another published story, as a ninjs association."""

    name: str = Field(description="Its headline")
    rel: Literal["translation"]
    uri: str = Field(description="Its address, in its language's edition of the site")
    type: str
    representationType: str = Field(description="`partial`: fetch it by its id for the rest")
    language: str = Field(description="The language it is written in (`uk`)")
    altIds: list[AltId]


class NewsItem(Schema):
    """A story as an IPTC ninjs 3.1 news item."""

    standard: Standard
    uri: str
    type: str
    representationType: str
    firstCreated: str
    versionCreated: str
    contentCreated: str
    pubStatus: Literal["usable"]
    version: str | None = Field(None, description="Grows by one with every change of the story")
    embargoedUntil: str | None = Field(
        None,
        description="To partners only: a story released under embargo, not to be "
        "published before this time",
    )
    language: str = Field(description="The language the story is written in (`en`, `uk`)")
    copyrightHolder: str
    copyrightNotice: str
    altIds: list[AltId]
    headlines: list[Text]
    bodies: list[Body]
    subjects: list[Link]
    descriptions: list[Text] | None = None
    by: str | None = None
    people: list[Link] | None = None
    infoSources: list[Link] | None = None
    located: str | None = None
    associations: list[Annotated[Picture | Translation, Field(discriminator="rel")]] | None = Field(
        None,
        description="The lead photo (`rel` `lead-image`) and the story's published "
        "translations and original (`rel` `translation`).",
    )


class Tombstone(Schema):
    """To partners only: a story they received that was taken down since, without its content.

    `withheld`: unpublished, it may come back; `canceled`: withdrawn or deleted, drop
    it. A withdrawal's reason is its description (role `withdrawal`).
    """

    standard: Standard
    uri: str
    type: str
    representationType: str
    pubStatus: Literal["withheld", "canceled"]
    version: str
    firstCreated: str
    versionCreated: str
    language: str
    altIds: list[AltId]
    descriptions: list[Text] | None = None


# A partner's answers carry tombstones too; the public's never do.
NewsItemOrTombstone = Annotated[NewsItem | Tombstone, Field(discriminator="pubStatus")]


class NewsItemPage(Schema):
    items: list[NewsItemOrTombstone]
    next: str | None = None


class TopicOut(Schema):
    name: str
    slug: str
    uri: str
    feed: str


class TopicPage(Schema):
    items: list[TopicOut]
    next: str | None = None


class SourceOut(Schema):
    name: str
    slug: str
    kind: str
    homepage: str
    language: str
    country: str
    attribution: str
    uri: str


class Error(Schema):
    detail: str
