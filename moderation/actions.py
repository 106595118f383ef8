"""Every change moderators make to the topic vocabulary, in one place.

Each action checks that the user may moderate topics, locks the rows it changes
(`select_for_update`), writes in one transaction, records who did what in the
moderation log (`TopicLogEntry`) and, once committed, retires the cached public
pages and the rendered stories. The admin calls these; a command or an API would
call the same.

Merging is set-based SQL: a topic used by 100,000 stories merges in a handful of
statements, and a failure anywhere leaves everything as it was.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from articles.models import ArticleTopic
from moderation.usage import topics_in_use, with_usage
from topics.models import (
    NormalName,
    Topic,
    TopicAlias,
    TopicLogEntry,
    TopicRedirect,
    normal_forms,
    tidy_name,
)
from topics.signals import topics_changed

logger = logging.getLogger(__name__)
Action = TopicLogEntry.Action


def can_moderate(user) -> bool:
    """Return whether `user` may approve, reject, rename, merge and delete topics."""
    return bool(user and user.is_active and user.has_perm("topics.moderate_topic"))


def check_permission(user) -> None:
    if not can_moderate(user):
        raise PermissionDenied("Only topic moderators can change the topic vocabulary.")


def _record(user, action: str, topic: Topic | None, summary: str, **details) -> TopicLogEntry:
    return TopicLogEntry(
        action=action,
        topic=topic,
        topic_name=topic.name if topic else details.get("name", ""),
        actor=user,
        summary=summary,
        details=details,
    )


def _topics_changed(topic_ids: Iterable[int], shown_ids: Iterable[int] = ()) -> None:
    # Bulk updates send no model signals: say what changed for readers.
    topics_changed.send(sender=Topic, topic_ids=list(topic_ids), shown_ids=list(shown_ids))


def _names(topics: Iterable[Topic]) -> str:
    return ", ".join(f"“{topic.name}”" for topic in topics)


# --- Adding and editing -----------------------------------------------------------------


def add_topic(user, topic: Topic) -> Topic:
    """Save a new topic: approved when a moderator adds it, otherwise a pending proposal."""
    topic.proposed_by = user
    if not can_moderate(user):
        topic.status = Topic.Status.PENDING
        topic.save()
        return topic
    with transaction.atomic():
        topic.status = Topic.Status.APPROVED
        topic.save()
        _record(user, Action.ADDED, topic, f"Added “{topic.name}”.").save()
        _topics_changed([topic.pk], shown_ids=[topic.pk])
    return topic


def edit(user, topic: Topic, fields: Sequence[str]) -> Topic:
    """Save changes to a topic's description or kind (not its name or slug: see `rename`)."""
    check_permission(user)
    fields = [field for field in fields if field not in ("name", "slug", "status")]
    if not fields:
        return topic
    with transaction.atomic():
        Topic.objects.select_for_update().get(pk=topic.pk)
        topic.save(update_fields=fields)
        labels = ", ".join(str(Topic._meta.get_field(field).verbose_name) for field in fields)
        _record(user, Action.EDITED, topic, f"Changed the {labels} of “{topic.name}”.").save()
        _topics_changed([topic.pk])
    return topic


# --- Approving and rejecting ------------------------------------------------------------


def approve(user, topics: Iterable[Topic]) -> list[Topic]:
    """Approve topics: readers see them from now on. Return those that changed."""
    return _set_status(user, topics, Topic.Status.APPROVED)


def reject(user, topics: Iterable[Topic]) -> list[Topic]:
    """Reject topics: they leave the public site and their names cannot be proposed again.

    Stories keep their links, so approving the topic later restores it everywhere.
    """
    return _set_status(user, topics, Topic.Status.REJECTED)


def _set_status(user, topics: Iterable[Topic], status: str) -> list[Topic]:
    check_permission(user)
    ids = [topic.pk for topic in topics]
    with transaction.atomic():
        changing = list(
            Topic.objects.select_for_update()
            .filter(pk__in=ids)
            .exclude(status=status)
            .order_by("pk")
        )
        if not changing:
            return []
        Topic.objects.filter(pk__in=[topic.pk for topic in changing]).update(status=status)
        action = Action.APPROVED if status == Topic.Status.APPROVED else Action.REJECTED
        TopicLogEntry.objects.bulk_create(
            _record(
                user,
                action,
                topic,
                f"{action.label} “{topic.name}” (was {topic.get_status_display().lower()}).",
                previous_status=topic.status,
            )
            for topic in changing
        )
        for topic in changing:
            topic.status = status
        changed = [topic.pk for topic in changing]
        _topics_changed(changed, shown_ids=changed if status == Topic.Status.APPROVED else ())
    logger.info("%s %s topics: %s", user, status, _names(changing))
    return changing


# --- Renaming -----------------------------------------------------------------------------


def check_rename(topic: Topic, name: str, slug: str) -> None:
    """Raise ValidationError if `topic` cannot be called `name` at address `slug`."""
    clash = (
        TopicAlias.objects.annotate(name_key=NormalName("name"))
        .filter(name_key=NormalName(Value(name)))
        .exclude(topic_id=topic.pk)
        .select_related("topic")
        .first()
    )
    if clash:
        raise ValidationError(
            {"name": f"“{clash.name}” is an alias of “{clash.topic}”: merge the topics instead."}
        )
    taken = TopicRedirect.objects.filter(old_slug=slug).exclude(topic_id=topic.pk).first()
    if taken:
        raise ValidationError(
            {"slug": f"/topics/{slug}/ still leads to “{taken.topic}”, which used to have it."}
        )


def rename(user, topic: Topic, *, name: str, slug: str | None = None) -> Topic:
    """Give a topic a new name and/or slug; the old slug answers 301, the old name is an alias.

    `slug=None` keeps the slug; an empty slug makes a new one from the name.
    """
    check_permission(user)
    name = tidy_name(name)
    with transaction.atomic():
        current = Topic.objects.select_for_update().get(pk=topic.pk)
        old_name, old_slug = current.name, current.slug
        if slug is None:
            slug = old_slug
        elif not slug:
            slug = current.free_slug(name)
        check_rename(current, name, slug)
        if (name, slug) == (old_name, old_slug):
            return current
        old_key, new_key = normal_forms([old_name, name])
        # The new name is the topic's own now, not one of its aliases.
        TopicAlias.objects.annotate(name_key=NormalName("name")).filter(
            topic=current, name_key=new_key
        ).delete()
        current.name, current.slug = name, slug
        current.save(update_fields=["name", "slug"])
        if old_key != new_key:
            TopicAlias.objects.bulk_create(
                [TopicAlias(name=old_name, topic=current, created_by=user)], ignore_conflicts=True
            )
        if slug != old_slug:
            TopicRedirect.objects.filter(old_slug=slug).delete()
            TopicRedirect.objects.update_or_create(old_slug=old_slug, defaults={"topic": current})
        _record(
            user,
            Action.RENAMED,
            current,
            f"Renamed “{old_name}” (/topics/{old_slug}/) to “{name}” (/topics/{slug}/).",
            old_name=old_name,
            old_slug=old_slug,
            name=name,
            slug=slug,
        ).save()
        _topics_changed([current.pk])
    topic.name, topic.slug = current.name, current.slug
    return current


# --- Aliases ------------------------------------------------------------------------------


def check_alias(name: str) -> None:
    """Raise ValidationError if `name` is already a topic's name."""
    topic = Topic.objects.with_normal_name().filter(name_key=NormalName(Value(name))).first()
    if topic:
        raise ValidationError({"name": f"“{topic.name}” is a topic of its own: merge instead."})


def add_alias(user, topic: Topic, name: str) -> TopicAlias:
    """Make `name` another name of `topic`: tagging with it attaches the topic."""
    check_permission(user)
    name = tidy_name(name)
    check_alias(name)
    with transaction.atomic():
        alias = TopicAlias.objects.create(name=name, topic=topic, created_by=user)
        _record(user, Action.ALIAS_ADDED, topic, f"“{name}” now means “{topic.name}”.").save()
    return alias


def remove_alias(user, alias: TopicAlias) -> None:
    check_permission(user)
    with transaction.atomic():
        alias.delete()
        _record(
            user,
            Action.ALIAS_REMOVED,
            alias.topic,
            f"“{alias.name}” no longer means “{alias.topic.name}”.",
        ).save()


# --- Deleting -----------------------------------------------------------------------------


def delete_unused(user, topics: Iterable[Topic]) -> tuple[list[Topic], list[Topic]]:
    """Delete the topics no story is tagged with; return (deleted, in use and kept).

    A topic in use is never deleted, only merged: its stories would lose it.
    """
    check_permission(user)
    ids = [topic.pk for topic in topics]
    with transaction.atomic():
        locked = list(Topic.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
        used = topics_in_use([topic.pk for topic in locked])
        unused = [topic for topic in locked if topic.pk not in used]
        kept = [topic for topic in locked if topic.pk in used]
        if unused:
            TopicLogEntry.objects.bulk_create(
                _record(
                    user,
                    Action.DELETED,
                    None,
                    f"Deleted “{topic.name}” (/topics/{topic.slug}/), which no story used.",
                    name=topic.name,
                    slug=topic.slug,
                )
                for topic in unused
            )
            Topic.objects.filter(pk__in=[topic.pk for topic in unused]).delete()
            _topics_changed([topic.pk for topic in unused])
    return unused, kept


# --- Merging ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MergePlan:
    """What merging `sources` into `target` will change, for the confirmation page."""

    target: Topic
    sources: list[Topic]  # annotated by `with_usage` and with `shared_with_target`
    stories_to_retag: int  # tagged with a merged topic and not yet with the target
    stories_already_tagged: int  # tagged with both: they keep the target once
    aliases_moving: int  # aliases of the merged topics, which follow them

    @property
    def approves_target(self) -> bool:
        return self.target.status != Topic.Status.APPROVED


@dataclass(frozen=True)
class MergeResult:
    target: Topic
    merged: list[Topic]
    links_added: int
    links_removed: int


def plan_merge(target: Topic, sources: Iterable[Topic]) -> MergePlan:
    """Describe a merge without changing anything (a few queries, none per story)."""
    source_ids = sorted({topic.pk for topic in sources} - {target.pk})
    on_target = ArticleTopic.objects.filter(tag=target, content_object=OuterRef("content_object"))
    shared = (
        ArticleTopic.objects.filter(Exists(on_target), tag=OuterRef("pk"))
        .order_by()
        .values("tag")
        .annotate(n=Count("pk"))
        .values("n")
    )
    annotated = list(
        with_usage(Topic.objects.filter(pk__in=source_ids))
        .annotate(
            shared_with_target=Coalesce(Subquery(shared, output_field=IntegerField()), 0),
            alias_count=Count("aliases"),
        )
        .order_by("name")
    )
    stats = ArticleTopic.objects.filter(tag__in=source_ids).aggregate(
        stories=Count("content_object", distinct=True),
        already=Count("content_object", distinct=True, filter=Q(Exists(on_target))),
    )
    return MergePlan(
        target=target,
        sources=annotated,
        stories_to_retag=stats["stories"] - stats["already"],
        stories_already_tagged=stats["already"],
        aliases_moving=sum(topic.alias_count for topic in annotated),
    )


def merge(user, target: Topic, sources: Iterable[Topic]) -> MergeResult:
    """Merge `sources` into `target`, in one transaction of set-based statements.

    Every story tagged with a merged topic ends up tagged once with the target;
    the merged names become aliases of the target and their slugs answer 301 to
    its page and feeds; their own aliases and old slugs follow. A pending target
    is approved: a moderator chose it as the topic to keep. A rejected one is refused.
    """
    check_permission(user)
    source_ids = sorted({topic.pk for topic in sources} - {target.pk})
    if not source_ids:
        raise ValidationError("Choose at least one topic to merge into the target.")
    with transaction.atomic():
        locked = {
            topic.pk: topic
            for topic in Topic.objects.select_for_update()
            .filter(pk__in=[target.pk, *source_ids])
            .order_by("pk")
        }
        if len(locked) != len(source_ids) + 1:
            raise ValidationError("Some of these topics no longer exist; reload and try again.")
        target, merged = locked[target.pk], [locked[pk] for pk in source_ids]
        if target.status == Topic.Status.REJECTED:
            raise ValidationError("A rejected topic cannot be the one kept; pick another.")
        links_added, links_removed = _move_links(target, source_ids)
        _move_other_links(target, source_ids)
        _follow_target(target, merged)
        Topic.objects.filter(pk__in=source_ids).delete()
        _keep_names(target, merged, user)
        # Stories that carried only the target while it was pending show it from now on.
        shown = [target.pk] if target.status != Topic.Status.APPROVED else []
        if target.status != Topic.Status.APPROVED:
            Topic.objects.filter(pk=target.pk).update(status=Topic.Status.APPROVED)
            target.status = Topic.Status.APPROVED
        _record(
            user,
            Action.MERGED,
            target,
            f"Merged {_names(merged)} into “{target.name}”: {links_added} stories newly "
            f"tagged with it, {links_removed} links to the merged topics removed.",
            merged=[{"id": t.pk, "name": t.name, "slug": t.slug} for t in merged],
            links_added=links_added,
            links_removed=links_removed,
        ).save()
        _topics_changed([target.pk, *source_ids], shown_ids=shown)
    logger.info("%s merged %s into “%s”", user, _names(merged), target.name)
    return MergeResult(target, merged, links_added, links_removed)


def _move_links(target: Topic, source_ids: list[int]) -> tuple[int, int]:
    """Tag every story of the merged topics with the target, once; drop their own links.

    Two statements whatever the number of stories. One link per story not yet
    tagged with the target is moved to it (an UPDATE: the story's id and
    publish time stay, so neither its foreign key nor the topic stream has
    anything to check again); the rest (a story tagged with the target already,
    or with two merged topics) are deleted. Returns (links moved, links of the
    merged topics removed, moved ones included).
    """
    links = connection.ops.quote_name(ArticleTopic._meta.db_table)
    # A story's first link to a merged topic moves, unless it has the target. A story
    # links to a topic once at most: with one merged topic, every link is the first.
    first_only, first_params = "", []
    if len(source_ids) > 1:
        first_only = (
            f"AND NOT EXISTS (SELECT 1 FROM {links} AS earlier "  # noqa: S608
            "  WHERE earlier.content_object_id = link.content_object_id "
            "  AND earlier.tag_id = ANY(%s::bigint[]) AND earlier.id < link.id)"
        )
        first_params = [source_ids]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {links} AS link SET tag_id = %s "  # noqa: S608
            "WHERE link.tag_id = ANY(%s::bigint[]) "
            f"AND NOT EXISTS (SELECT 1 FROM {links} AS kept "
            "  WHERE kept.content_object_id = link.content_object_id AND kept.tag_id = %s) "
            + first_only,
            [target.pk, source_ids, target.pk, *first_params],
        )
        moved = cursor.rowcount
        cursor.execute(f"DELETE FROM {links} WHERE tag_id = ANY(%s::bigint[])", [source_ids])  # noqa: S608
        return moved, moved + cursor.rowcount


def _move_other_links(target: Topic, source_ids: list[int]) -> None:
    """Do the same for every other many-to-many link to topics (wire copy's, say).

    Found through the model registry, so what stands above topics needs no hook here.
    """
    for relation in Topic._meta.related_objects:
        through = getattr(relation, "through", None)
        if not relation.many_to_many or through is None or not through._meta.auto_created:
            continue
        topic_column = next(
            f.column for f in through._meta.fields if f.is_relation and f.related_model is Topic
        )
        other_column = next(
            f.column for f in through._meta.fields if f.is_relation and f.related_model is not Topic
        )
        table = connection.ops.quote_name(through._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({other_column}, {topic_column}) "  # noqa: S608
                f"SELECT DISTINCT {other_column}, %s FROM {table} "
                f"WHERE {topic_column} = ANY(%s::bigint[]) ON CONFLICT DO NOTHING",
                [target.pk, source_ids],
            )
            cursor.execute(
                f"DELETE FROM {table} WHERE {topic_column} = ANY(%s::bigint[])",  # noqa: S608
                [source_ids],
            )


def _follow_target(target: Topic, merged: list[Topic]) -> None:
    """Point the merged topics' aliases and old slugs at the target; their slugs too."""
    source_ids = [topic.pk for topic in merged]
    TopicAlias.objects.filter(topic__in=source_ids).update(topic=target)
    TopicRedirect.objects.filter(topic__in=source_ids).update(topic=target)
    TopicRedirect.objects.bulk_create(
        [TopicRedirect(old_slug=topic.slug, topic=target) for topic in merged],
        update_conflicts=True,
        unique_fields=["old_slug"],
        update_fields=["topic"],
    )


def _keep_names(target: Topic, merged: list[Topic], user) -> None:
    """Make the merged names aliases of the target, so tagging with them finds it."""
    TopicAlias.objects.bulk_create(
        [TopicAlias(name=topic.name, topic=target, created_by=user) for topic in merged],
        ignore_conflicts=True,
    )
