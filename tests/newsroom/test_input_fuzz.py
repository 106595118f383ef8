"""Hostile input everywhere: no page, API call, admin list or admin form answers 500.

What is tried is found, not listed: the public URLs from the URL resolver, the API's
operations and parameters from its OpenAPI document, the admin's change lists from
its registry with each of their filters, and every date and time input of the
admin's forms. A new page, parameter, filter or form is covered without a change here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from urllib.parse import quote

import django.core.handlers.wsgi
import pytest
from django import forms
from django.contrib import admin
from django.contrib.admin.views.main import ORDER_VAR, PAGE_VAR, SEARCH_VAR
from django.core.exceptions import ValidationError
from django.db import models
from django.http import QueryDict
from django.test import Client, RequestFactory
from django.urls import URLResolver, get_resolver, reverse

from api.views import api
from articles import previews
from newsroom.datetimes import in_utc
from tests.factories import (
    ArticleFactory,
    SectionFactory,
    SourceFactory,
    UserFactory,
)

pytestmark = [
    pytest.mark.django_db,
    # Hostile filters include naive times at the calendar's ends; Django warns, as it should.
    pytest.mark.filterwarnings("ignore:DateTimeField .* received a naive datetime"),
]

# Dates at the edges of every range: Python's years, PostgreSQL's offsets, impossible ones.
EDGE_TIMES = [
    "0001-01-01",
    "0001-01-01T00:00:00",
    "0001-01-01T00:00:00+14:00",
    "0001-01-01 00:00:00-14:00",
    "9999-12-31",
    "9999-12-31T23:59:59",
    "9999-12-31T23:59:59-14:00",
    "9999-12-31 23:59:59+14:00",
    "0000-00-00",
    "2026-02-30",
    "2026-01-01T00:00:00+99:00",
    "2026-01-01T00:00:00-24:00",
    "2026-01-01T00:00:00+14:01",
    "2026-01-01T00:00:00+16:00",
    "2026-01-01T00:00:00-23:59",
]
OTHER_VALUES = [
    "\x00",
    "energy\x00",
    "\x01\x08\x1b\x7f",
    "\u202e\ufeff",
    "Вишиванка 🚀",
    str(10**30),
    "-1",
    "0",
    "1.5",
    "x" * 5000,
]
# Sent as they are: bytes that are no UTF-8, an escaped NUL, an encoded surrogate.
RAW_VALUES = ["%ff", "%c0%80", "%ed%a0%80", "%00", "%e2%80"]


def escaped(values: list[str]) -> list[str]:
    return [quote(value, safe="") for value in values]


API_VALUES = escaped(EDGE_TIMES + OTHER_VALUES) + RAW_VALUES
# In a path: anything that is not a number or slug, and the last day of the calendar.
PATH_VALUES = escaped([*OTHER_VALUES, "9999-12-31", ".."]) + RAW_VALUES

# Times for parameters on dates and times, a few of everything else for the others;
# NUL and impossible offsets are refused before any view, whatever the parameter.
TIME_VALUES = escaped(
    [
        "0001-01-01",
        "0001-01-01T00:00:00+14:00",
        "9999-12-31",
        "9999-12-31T23:59:59-14:00",
        "0000-00-00",
        "2026-01-01T00:00:00+99:00",
        "2026-01-01T00:00:00+16:00",
        str(10**30),
    ]
)
NON_TIME_VALUES = [
    *escaped(["\x00", "\x01\x7f", "Вишиванка 🚀", str(10**30), "-1", "x" * 5000]),
    "%ff",
    "%ed%a0%80",
]
# A public page's parameters get both sets: a page number may be read as a date.
PUBLIC_VALUES = [*dict.fromkeys(TIME_VALUES + NON_TIME_VALUES)]


@pytest.fixture
def newsroom(db):
    """Something on every public page: a story with a topic, source, section and author.

    Returns the arguments of the public URLs, by argument name or, where that
    name would be ambiguous, by URL name.
    """
    author = UserFactory(username="fuzz-author")
    source = SourceFactory(slug="energy")
    section = SectionFactory(slug="energy")
    article = ArticleFactory(
        published=True, topics=["Energy"], source=source, section=section, authors=[author]
    )
    editor = UserFactory(username="fuzz-editor", groups=["Editors"])
    preview = previews.create(article, editor)
    by_author = {"pk": author.pk}
    return {
        "pk": article.pk,
        "slug": "energy",
        "section": "articles",  # A sitemap's name.
        "token": previews.token_for(preview),
        "articles:author": by_author,
        "articles:author_feed": by_author,
        "articles:author_feed_atom": by_author,
        "articles:detail": {"pk": article.pk, "slug": article.slug},
    }


def hostile_client() -> Client:
    # Collect the answers instead of raising on the first server error.
    return Client(raise_request_exception=False)


class ReadingQueryDict(QueryDict):
    """A query string that notes each parameter asked for by name."""

    read: set[str] = set()

    def __getitem__(self, key: str):
        self.read.add(key)
        return super().__getitem__(key)

    def getlist(self, key: str, default=None):
        self.read.add(key)
        return super().getlist(key, default)

    def __contains__(self, key: object) -> bool:
        self.read.add(str(key))
        return super().__contains__(key)


def parameters_read(client: Client, url: str, monkeypatch) -> set[str]:
    """Return the query parameters `url`'s view asks for, by watching one request."""
    ReadingQueryDict.read = set()
    with monkeypatch.context() as patched:
        patched.setattr(django.core.handlers.wsgi, "QueryDict", ReadingQueryDict)
        response = client.get(url)
    # 405: an address that only takes POST (its query string is still read by nothing).
    assert response.status_code in (200, 301, 405), f"{url} needs arguments that show a page"
    return ReadingQueryDict.read


# --- Public pages -----------------------------------------------------------------------


def public_patterns(patterns: list | None = None, namespace: str = "") -> Iterator[tuple]:
    """Yield the name and pattern of every URL of the reader's site (not the admin or API)."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in ("admin", "api"):
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from public_patterns(entry.url_patterns, inner)
        elif entry.name:
            yield f"{namespace}{entry.name}", entry


PUBLIC = dict(public_patterns())


def acceptable_for_readers(status: int, location: str | None) -> bool:
    """200, a refusal (4xx), or a redirect to another address of the site."""
    if status in (301, 302):
        return bool(location) and location.startswith("/") and not location.startswith("//")
    return status == 200 or 400 <= status < 500


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_no_hostile_address_or_parameter_breaks_a_public_page(name, newsroom, monkeypatch):
    converters = PUBLIC[name].pattern.converters
    kwargs = newsroom.get(name) or {kwarg: newsroom[kwarg] for kwarg in converters}
    url = reverse(name, kwargs=kwargs)
    client = hostile_client()
    tried = [
        f"{url}?{param}={value}"
        for param in parameters_read(client, url, monkeypatch)
        for value in PUBLIC_VALUES
    ]
    # Each argument of the address replaced in turn.
    for real in kwargs.values():
        tried += [url.replace(f"/{real}", f"/{value}", 1) for value in PATH_VALUES]
    failures = []
    for attempt in tried:
        response = client.get(attempt)
        if not acceptable_for_readers(response.status_code, response.get("Location")):
            failures.append((attempt[:120], response.status_code))
    assert not failures


# --- The API -------------------------------------------------------------------------------


def api_operations() -> Iterator[tuple[str, list[dict]]]:
    schema = api.get_openapi_schema()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method == "get":
                yield path, operation.get("parameters", [])


API_OPERATIONS = dict(api_operations())


@pytest.mark.parametrize("path", sorted(API_OPERATIONS))
def test_no_hostile_parameter_breaks_the_api(path, newsroom):
    client = hostile_client()
    parameters = API_OPERATIONS[path]
    in_path = {p["name"]: str(newsroom["pk"]) for p in parameters if p["in"] == "path"}
    url = re.sub(r"\{(\w+)\}", lambda m: in_path[m.group(1)], path)
    assert client.get(url).status_code == 200
    tried = []
    for parameter in parameters:
        for value in API_VALUES:
            if parameter["in"] == "query":
                tried.append(f"{url}?{parameter['name']}={value}")
            else:
                tried.append(re.sub(r"\{(\w+)\}", value, path))
    # And every parameter this API does not take.
    tried += [f"{url}?unknown={value}" for value in API_VALUES]
    failures = []
    for attempt in tried:
        status = client.get(attempt).status_code
        if not 200 <= status < 500:
            failures.append((attempt[:120], status))
    assert not failures


# --- Admin change lists -------------------------------------------------------------------


ADMINS = sorted(admin.site._registry, key=lambda model: model._meta.label)


def list_parameters(model_admin, user) -> dict[str, list[str]]:
    """Every parameter the change list reads, with the values to try on it.

    Its filters', the date hierarchy's, lookups on each date and time of the
    model (the admin allows any lookup on a model's own fields), and the search,
    ordering, page and an unknown lookup.
    """
    request = RequestFactory().get("/")
    request.user = user
    changelist = model_admin.get_changelist_instance(request)
    names = [name for spec in changelist.filter_specs for name in spec.expected_parameters()]
    opts = model_admin.model._meta
    times = {f.name for f in opts.concrete_fields if isinstance(f, models.DateField)}
    names += [f"{name}__{lookup}" for name in sorted(times) for lookup in ("gte", "year")]
    if model_admin.date_hierarchy:
        names += [f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month", "day")]
    names += [SEARCH_VAR, ORDER_VAR, PAGE_VAR, "pk__in", "_to_field"]
    return {
        name: TIME_VALUES if name.split("__")[0] in times else NON_TIME_VALUES
        for name in dict.fromkeys(names)
    }


@pytest.mark.parametrize("model", ADMINS, ids=lambda model: model._meta.label)
def test_no_hostile_filter_breaks_an_admin_list(model, newsroom, superuser):
    model_admin = admin.site._registry[model]
    client = hostile_client()
    client.force_login(superuser)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert client.get(url).status_code == 200
    tried = [
        f"{url}?{name}={value}"
        for name, values in list_parameters(model_admin, superuser).items()
        for value in values
    ]
    # The date hierarchy's whole dates, at both ends of the calendar.
    if field := model_admin.date_hierarchy:
        for date in ("1-1-1", "9999-12-31", "9999-12-1", "9999-1-1"):
            year, month, day = date.split("-")
            tried.append(f"{url}?{field}__year={year}&{field}__month={month}&{field}__day={day}")
    failures = []
    for attempt in tried:
        status = client.get(attempt).status_code
        if status >= 500:
            failures.append((attempt[:120], status))
    assert not failures


# --- Admin forms: times typed in ------------------------------------------------------------


def time_inputs(user) -> Iterator[tuple[str, str, forms.Field]]:
    """Yield every date-and-time input of every admin form and inline form, with its name."""
    request = RequestFactory().get("/")
    request.user = user
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_add_permission(request):
            continue  # No form to type into (wire copy, logs).
        # The add form and, where there is something to change, the change form.
        objs = [None, model._default_manager.first()]
        form_classes = [model_admin.get_form(request, obj) for obj in objs if obj or obj is None]
        form_classes += [
            formset.form for formset, _ in model_admin.get_formsets_with_inlines(request)
        ]
        for form_class in form_classes:
            for name, field in form_class.base_fields.items():
                if isinstance(field, forms.SplitDateTimeField | forms.DateTimeField):
                    yield model._meta.label, f"{form_class._meta.model.__name__}.{name}", field


def typed(field: forms.Field, text: str) -> object:
    date, _, time = text.replace("T", " ").partition(" ")
    if isinstance(field, forms.SplitDateTimeField):
        return [date, time or "00:00:00"]
    return text


@pytest.mark.parametrize("value", EDGE_TIMES)
def test_admin_time_inputs_take_only_times_the_database_gives_back(value, superuser):
    # What a form accepts is saved; a time before year 1 in UTC is saved but never read back.
    unreadable = set()
    for label, name, field in time_inputs(superuser):
        try:
            cleaned = field.clean(typed(field, value))
        except ValidationError:
            continue
        if isinstance(cleaned, datetime) and in_utc(cleaned) is None:
            unreadable.add((label, name))
    assert unreadable == set()
