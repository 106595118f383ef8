"""The API's documented shapes (for the OpenAPI document and response validation)."""

from __future__ import annotations

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


class NewsItem(Schema):
    """A story as an IPTC ninjs 3.1 news item."""

    standard: Standard
    uri: str
    type: str
    representationType: str
    firstCreated: str
    versionCreated: str
    contentCreated: str
    pubStatus: str
    language: str
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


class NewsItemPage(Schema):
    items: list[NewsItem]
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
