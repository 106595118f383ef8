"""The read-only syndication API at /api/v1/: published stories as ninjs, topics, sources.

Everything starts from `Article.objects.published()`: nothing unpublished is ever
listed, counted or linked. Lists page with an opaque `cursor` (no OFFSET, no
COUNT), responses are cached and revalidated like the site's pages, and a bad
parameter is a 400 with a JSON `detail` that says what is wrong.

A partner's key (`partners.auth`) widens the stories to what the partner may
receive within its scope (`Article.objects.for_partners()`, embargoed ones too),
and `updated_since` to its change feed, tombstones included
(`Article.objects.partner_changes()`); its answers are private.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from typing import Annotated
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from ninja import Field, NinjaAPI, Query, Schema
from ninja.decorators import decorate_view
from ninja.errors import ValidationError
from pydantic import BeforeValidator

from api import schemas
from api.ninjs import ninjs, with_ninjs
from articles.languages import language_codes, site_language
from articles.models import Article
from articles.subjects import SECTION, SOURCE, TOPIC
from frontcache import keys
from frontcache.decorators import cache_in_front
from newsroom.datetimes import clamped_utc
from partners.auth import (
    KeyRefused,
    PartnerAccess,
    PartnerKeyBearer,
    RateLimited,
    keyed_answers,
    note_items,
)
from sources.models import Source

SLUG = r"^[-\w]+$"

api = NinjaAPI(
    title="Newsroom syndication API",
    version="1",
    description="Published stories as IPTC ninjs 3.1, with their topics and sources. "
    "Read-only; lists page with the `next` URL of each answer. Open to all; a partner's "
    "key (`Authorization: Bearer nrp_…`) widens the stories to those the partner may "
    "receive: released under embargo (`embargoedUntil`), and, with `updated_since`, "
    "the change feed with the stories it received that were taken down since "
    "(`pubStatus` `withheld` or `canceled`).",
    urls_namespace="api",
    auth=PartnerKeyBearer(),
)
# The key is optional: OpenAPI says so with an empty requirement beside the scheme's
# (django-ninja adds this list to the operation's own).
KEY_OPTIONAL = {"security": [{}]}
# Every operation's answers: private to a partner, never kept when keyed.
API_ANSWERS = (keyed_answers, cache_in_front)


class BadRequest(Exception):
    """A parameter that is well-formed but names nothing, or a cursor that is not ours."""


@api.exception_handler(ValidationError)
def invalid_parameters(request: HttpRequest, error: ValidationError):
    problems = [
        f"{'.'.join(str(p) for p in e.get('loc', [])[1:]) or 'request'}: {e.get('msg', 'invalid')}"
        for e in error.errors
    ]
    return api.create_response(request, {"detail": "; ".join(problems)}, status=400)


@api.exception_handler(BadRequest)
def bad_request(request: HttpRequest, error: BadRequest):
    return api.create_response(request, {"detail": str(error)}, status=400)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, error: Http404):
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(KeyRefused)
def key_refused(request: HttpRequest, error: KeyRefused):
    response = api.create_response(request, {"detail": error.message}, status=401)
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(RateLimited)
def rate_limited(request: HttpRequest, error: RateLimited):
    response = api.create_response(request, {"detail": error.message}, status=429)
    response["Retry-After"] = str(error.retry_after)
    return response


def encode_cursor(*values: object) -> str:
    """Return an opaque cursor holding the sort key of the last item sent."""
    text = json.dumps([v.isoformat() if isinstance(v, datetime) else v for v in values])
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def storable_text(value: object) -> bool:
    """Whether `value` is not text, or text PostgreSQL can hold (no NUL, no lone surrogate)."""
    if not isinstance(value, str):
        return True
    try:
        value.encode()
    except UnicodeEncodeError:
        return False
    return "\x00" not in value


def decode_cursor(cursor: str, count: int) -> list[str]:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, UnicodeDecodeError, ValueError):
        values = None
    # JSON spells out any character ("\u0000", "\ud800"): a forged cursor could hold one.
    if not isinstance(values, list) or len(values) != count or not all(map(storable_text, values)):
        raise BadRequest("cursor: not a cursor this API gave out")
    return values


def next_url(request: HttpRequest, cursor: str) -> str:
    params = {k: v for k, v in request.GET.items() if k != "cursor"}
    return f"{settings.SITE_URL}{request.path}?{urlencode({**params, 'cursor': cursor})}"


def iso_8601(value: object) -> object:
    """Accept ISO 8601 text only (not the Unix timestamps pydantic would also take).

    The time is returned in UTC, within the years PostgreSQL and Python share
    (`newsroom.datetimes`): 0001-01-01 means from the beginning, whatever its offset.
    Without an offset it is the site's time.
    """
    if value is None:
        return value
    if not isinstance(value, datetime):
        try:
            value = datetime.fromisoformat(str(value).strip())
        except ValueError:
            raise ValueError("use ISO 8601, e.g. 2026-11-25T09:00:00+02:00") from None
    return clamped_utc(value)


class StoryFilters(Schema):
    topic: Annotated[str | None, Field(max_length=100, pattern=SLUG)] = None
    source: Annotated[str | None, Field(max_length=100, pattern=SLUG)] = None
    section: Annotated[str | None, Field(max_length=100, pattern=SLUG)] = None
    language: Annotated[
        str | None, Field(max_length=35, pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
    ] = Field(
        None,
        description="Only stories written in this language: one of the site's ("
        + ", ".join(language_codes())
        + "), as a BCP 47 tag (`uk` or `uk-UA`).",
    )
    updated_since: Annotated[datetime | None, BeforeValidator(iso_8601)] = Field(
        None,
        description=(
            "Only stories published, or edited after publication, at or after this time (ISO 8601)."
        ),
    )
    cursor: Annotated[str | None, Field(max_length=200)] = None
    limit: Annotated[int, Field(ge=1, le=100)] = 20


def stories() -> QuerySet[Article]:
    """The published stories, with what a ninjs item reads."""
    return with_ninjs(Article.objects.published())


def partner_stories(
    access: PartnerAccess, *, changes: bool, since: datetime | None = None
) -> QuerySet[Article]:
    """The stories of a partner's scope, by `partner_changed`, with what a ninjs item reads.

    Those it may use now; with `changes`, also those it received that were taken
    down since (tombstones), from `since` when given.
    """
    found = Article.objects.partner_changes(since=since).filter(access.scope_q())
    if not changes:
        found = found.for_partners()
    return with_ninjs(found)


def tag_editions(request: HttpRequest, page: list[Article]) -> None:
    """Name the other editions the items link to: their headlines and addresses show."""
    keys.tag(request, *(keys.story(e["pk"]) for a in page for e in a.editions if e["pk"] != a.pk))


def filtered(found: QuerySet[Article], filters: StoryFilters) -> QuerySet[Article]:
    """Narrow `found` by the topic, source, section and language asked for.

    A topic, source or section is known as its page knows it (`articles.subjects`):
    a topic only unpublished stories use is no topic.
    """
    for subject_type in (TOPIC, SOURCE, SECTION):
        kind = subject_type.kind
        key = getattr(filters, kind)
        if key:
            subject = subject_type.find(key)
            if subject is None:
                raise BadRequest(f"{kind}: no {kind} “{key}”")
            found = subject_type.filter(found, subject)
    if filters.language:
        language = site_language(filters.language)
        if language is None:
            raise BadRequest(
                gettext("language: stories are in %(codes)s, not “%(value)s”")
                % {"codes": ", ".join(language_codes()), "value": filters.language}
            )
        found = found.filter(language=language)
    return found


# Responses of every operation, beyond its own.
REFUSALS = {401: schemas.Error, 429: schemas.Error}


@api.get(
    "/articles/",
    response={200: schemas.NewsItemPage, 400: schemas.Error, **REFUSALS},
    exclude_unset=True,
    by_alias=True,
    summary="Published stories, most recently changed first",
    description="With a partner's key: the stories it may receive, by when it last saw "
    "them change; with `updated_since`, its change feed, tombstones included.",
    openapi_extra=KEY_OPTIONAL,
)
@decorate_view(*API_ANSWERS)
def list_articles(request: HttpRequest, filters: Query[StoryFilters]):
    if isinstance(request.auth, PartnerAccess):
        since = filters.updated_since
        found = filtered(
            partner_stories(request.auth, changes=since is not None, since=since), filters
        )
        order = "partner_changed"
    else:
        # A story scheduled earlier changes for readers when it goes out.
        found = filtered(stories(), filters).last_changed_first(since=filters.updated_since)
        order = "last_changed"
    if filters.cursor:
        changed, pk = decode_cursor(filters.cursor, 2)
        try:
            # In UTC: a forged cursor's offset may be one PostgreSQL refuses.
            changed, pk = clamped_utc(datetime.fromisoformat(changed)), int(pk)
        except (TypeError, ValueError):
            raise BadRequest("cursor: not a cursor this API gave out") from None
        found = found.filter(Q(**{f"{order}__lt": changed}) | Q(**{order: changed, "pk__lt": pk}))
    page = list(found[: filters.limit + 1])
    more = len(page) > filters.limit
    page = page[: filters.limit]
    if isinstance(request.auth, PartnerAccess):
        note_items(request, len(page))
    else:
        keys.tag(request, keys.LATEST, keys.UPDATES)
        keys.tag_stories(request, page)
        tag_editions(request, page)
    cursor = encode_cursor(getattr(page[-1], order), page[-1].pk) if more else None
    return {
        "items": [ninjs(article) for article in page],
        "next": next_url(request, cursor) if cursor else None,
    }


@api.get(
    "/articles/{article_id}",
    response={
        200: schemas.NewsItemOrTombstone,
        400: schemas.Error,
        404: schemas.Error,
        **REFUSALS,
    },
    exclude_unset=True,
    by_alias=True,
    summary="One published story",
    description="With a partner's key: a story it may receive, or the tombstone of one "
    "it received that was taken down since.",
    openapi_extra=KEY_OPTIONAL,
)
@decorate_view(*API_ANSWERS)
def get_article(request: HttpRequest, article_id: Annotated[int, Field(ge=1, le=2**63 - 1)]):
    if isinstance(request.auth, PartnerAccess):
        found = partner_stories(request.auth, changes=True)
        article = get_object_or_404(found, pk=article_id)
        note_items(request, 1)
        return ninjs(article)
    keys.tag(request, keys.story(article_id))
    article = get_object_or_404(stories(), pk=article_id)
    keys.tag_stories(request, [article])
    tag_editions(request, [article])
    return ninjs(article)


class TopicPageParams(Schema):
    cursor: Annotated[str | None, Field(max_length=300)] = None
    limit: Annotated[int, Field(ge=1, le=500)] = 100


@api.get(
    "/topics/",
    response={200: schemas.TopicPage, 400: schemas.Error, **REFUSALS},
    summary="Topics with at least one published story, by name",
    openapi_extra=KEY_OPTIONAL,
)
@decorate_view(*API_ANSWERS)
def list_topics(request: HttpRequest, params: Query[TopicPageParams]):
    # Topics join the list with their first public story, leave it when merged or rejected.
    keys.tag(request, keys.LATEST, keys.every("topic"))
    found = TOPIC.public().order_by("name", "pk")
    if params.cursor:
        name, pk = decode_cursor(params.cursor, 2)
        if not isinstance(name, str) or not isinstance(pk, int):
            raise BadRequest("cursor: not a cursor this API gave out")
        found = found.filter(Q(name__gt=name) | Q(name=name, pk__gt=pk))
    page = list(found[: params.limit + 1])
    more = len(page) > params.limit
    page = page[: params.limit]
    items = [
        {
            "name": topic.name,
            "slug": topic.slug,
            "uri": settings.SITE_URL + topic.get_absolute_url(),
            "feed": settings.SITE_URL + topic.get_absolute_url() + "feed/",
        }
        for topic in page
    ]
    note_items(request, len(items))
    cursor = encode_cursor(page[-1].name, page[-1].pk) if more else None
    return {"items": items, "next": next_url(request, cursor) if cursor else None}


@api.get(
    "/sources/",
    response={200: list[schemas.SourceOut], **REFUSALS},
    summary="The active sources",
    openapi_extra=KEY_OPTIONAL,
)
@decorate_view(*API_ANSWERS)
def list_sources(request: HttpRequest):
    keys.tag(request, keys.every("source"))
    found = [
        {
            "name": source.name,
            "slug": source.slug,
            "kind": source.kind,
            "homepage": source.homepage_url,
            "language": source.language,
            "country": source.country,
            "attribution": source.credit,
            "uri": settings.SITE_URL + source.get_absolute_url(),
        }
        for source in Source.objects.filter(is_active=True)
    ]
    note_items(request, len(found))
    return found
