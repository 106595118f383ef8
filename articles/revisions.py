"""A story's revisions (kept by django-reversion): what each held and what changed.

A revision holds the story's fields and the links to its topics, saved
together with the user and time of the save. Restoring one is a workflow
action (`articles.workflow.restore`); this module only reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cached_property
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from reversion.models import Version

from accounts.people import display_name
from articles.models import Article, ArticleTopic, Section
from images.models import Image
from sources.models import Source
from topics.models import Topic

# What a restore brings back: the story's words, filing and attribution. Its
# state and publish time stay as they are: restoring never publishes.
RESTORED_FIELDS = (
    "headline",
    "slug",
    "standfirst",
    "body",
    "dateline",
    "source_id",
    "source_url",
    "section_id",
    "lead_image_id",
)
TEXT_FIELDS = ("headline", "slug", "standfirst", "dateline", "source_url")
# Related rows shown by name: field -> model.
NAMED_FIELDS = {"source_id": Source, "section_id": Section, "lead_image_id": Image}
LABELS = {
    "headline": _("Headline"),
    "slug": _("Slug"),
    "standfirst": _("Standfirst"),
    "body": _("Body"),
    "dateline": _("Dateline"),
    "authors": _("Byline"),
    "source_id": _("Source"),
    "source_url": _("Original story URL"),
    "section_id": _("Section"),
    "topics": _("Topics"),
    "lead_image_id": _("Lead photo"),
    "status": _("Status"),
    "publish_at": _("Publish time"),
}
# Words and the spaces between them; in HTML, each tag is one token.
TOKENS = re.compile(r"<[^>]*>|[^\s<]+|\s+")
BLOCK_END = re.compile(r"(</(?:p|h[1-6]|li|ul|ol|blockquote|figure)>)\s*")


def versions_of(article: Article) -> QuerySet[Version]:
    """Return the story's revisions, newest first, with their authors."""
    return Version.objects.get_for_object(article).select_related("revision__user")


@dataclass
class Snapshot:
    """One revision of a story, read back."""

    version: Version

    @property
    def values(self) -> dict[str, Any]:
        return self.version.field_dict

    @cached_property
    def topic_ids(self) -> list[int]:
        """Return the ids of the story's topics in this revision."""
        links = self.version.revision.version_set.filter(
            content_type=ContentType.objects.get_for_model(ArticleTopic)
        )
        return sorted(
            link.field_dict["tag_id"]
            for link in links
            if str(link.field_dict["content_object_id"]) == self.version.object_id
        )

    @property
    def author_ids(self) -> list[int]:
        return [int(pk) for pk in self.values.get("authors", [])]

    @property
    def user(self):
        return self.version.revision.user

    @property
    def created_at(self):
        return self.version.revision.date_created

    def describe(self) -> str:
        """Return "12 May 2026, 14:02 by Olena Kovalenko"."""
        when = date_format(timezone.localtime(self.created_at), "DATETIME_FORMAT")
        user = self.user
        name = display_name(user) if user else gettext("the system")
        return gettext("%(time)s by %(person)s") % {"time": when, "person": name}


@dataclass
class Change:
    label: str
    diff: SafeString
    is_body: bool = False


def word_diff(old: str, new: str) -> SafeString:
    """Return `new` against `old` as escaped HTML, removals in <del>, additions in <ins>."""
    before, after = TOKENS.findall(old or ""), TOKENS.findall(new or "")
    parts = []
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape("".join(before[i1:i2])))
            continue
        if i2 > i1:
            parts.append(format_html("<del>{}</del>", "".join(before[i1:i2])))
        if j2 > j1:
            parts.append(format_html("<ins>{}</ins>", "".join(after[j1:j2])))
    return mark_safe("".join(parts))  # noqa: S308 - every part above is escaped


def list_diff(old: list[str], new: list[str]) -> SafeString:
    """Return a list's items, removed ones in <del> and added ones in <ins>."""
    items = [format_html("{}", name) for name in new if name in old]
    items += [format_html("<del>{}</del>", name) for name in old if name not in new]
    items += [format_html("<ins>{}</ins>", name) for name in new if name not in old]
    return mark_safe(", ".join(items) or "—")  # noqa: S308 - every item is escaped


def body_lines(html: str) -> str:
    """Put each block of a body on a line of its own, so the diff reads block by block."""
    return BLOCK_END.sub(r"\1\n", html or "").strip()


def compare(old: Snapshot, new: Snapshot) -> list[Change]:
    """Return what changed from `old` to `new`, field by field, in reading order."""
    names = Names([old, new])
    changes = []
    for field, label in LABELS.items():
        if field == "topics":
            before, after = names.topics(old.topic_ids), names.topics(new.topic_ids)
            if before != after:
                changes.append(Change(label, list_diff(before, after)))
        elif field == "authors":
            before, after = names.users(old.author_ids), names.users(new.author_ids)
            if before != after:
                changes.append(Change(label, list_diff(before, after)))
        elif old.values.get(field) != new.values.get(field):
            before, after = old.values.get(field), new.values.get(field)
            if field == "body":
                changes.append(
                    Change(label, word_diff(body_lines(before), body_lines(after)), True)
                )
            elif field in TEXT_FIELDS:
                changes.append(Change(label, word_diff(before, after)))
            else:
                shown = names.value(field, before), names.value(field, after)
                changes.append(Change(label, word_diff(*shown)))
    return changes


class Names:
    """Names of the sources, sections, photos, people and topics some snapshots refer to.

    One query per kind, whatever the number of snapshots.
    """

    def __init__(self, snapshots: list[Snapshot]):
        self.rows = {}
        for field, model in NAMED_FIELDS.items():
            ids = {s.values.get(field) for s in snapshots} - {None}
            self.rows[field] = {obj.pk: str(obj) for obj in model.objects.filter(pk__in=ids)}
        user_ids = {pk for s in snapshots for pk in s.author_ids}
        self.people = {
            user.pk: display_name(user) for user in get_user_model().objects.filter(pk__in=user_ids)
        }
        topic_ids = {pk for s in snapshots for pk in s.topic_ids}
        self.topic_names = dict(Topic.objects.filter(pk__in=topic_ids).values_list("pk", "name"))

    def value(self, field: str, value) -> str:
        if value is None or value == "":
            return "—"
        if field in NAMED_FIELDS:
            return self.rows[field].get(value, deleted(value))
        if field == "status":
            return str(Article.Status(value).label)
        if field == "publish_at":
            return date_format(timezone.localtime(value), "DATETIME_FORMAT")
        return str(value)

    def users(self, ids: list[int]) -> list[str]:
        return [self.people.get(pk, deleted(pk)) for pk in ids]

    def topics(self, ids: list[int]) -> list[str]:
        return sorted(self.topic_names.get(pk, deleted(pk)) for pk in ids)


def deleted(pk) -> str:
    """Return how a revision names a row deleted since: "#12 (deleted)"."""
    return gettext("#%(id)s (deleted)") % {"id": pk}
