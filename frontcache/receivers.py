"""What each change readers can see purges from the front cache.

Stories and topics announce their changes as domain events
(`articles.signals.story_changed`, `topics.signals.topics_changed`); the few
objects edited only as rows in the admin (sections, sources, pins, photos,
people's names) are followed by their model signals. Everything is purged
after the commit: a rolled-back change purges nothing.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import Subquery
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, post_save, pre_delete

from articles.footprints import Footprint, public_footprints
from articles.footprints import public_footprint as footprint
from articles.models import Article, ArticleTopic, Correction, Pin, Section, editions_q
from articles.signals import story_changed
from frontcache import keys
from frontcache.purge import purge_on_commit
from images.models import Image
from sources.models import Source
from topics.signals import topics_changed

# Bylines show these; a login or a new password changes nothing readers see.
NAME_FIELDS = frozenset({"first_name", "last_name", "username"})


def lists_of(story: Footprint | None) -> set[str]:
    """Return the keys of the story lists a public story is on."""
    if story is None:
        return set()
    lists = {keys.LATEST, *(keys.listing("topic", pk) for pk in story.topic_ids)}
    lists.update(keys.listing("author", pk) for pk in story.author_ids)
    if story.section_id:
        lists.add(keys.listing("section", story.section_id))
    if story.source_id:
        lists.add(keys.listing("source", story.source_id))
    return lists


def story_keys(pk: int, before: Footprint | None, after: Footprint | None) -> set[str]:
    """Return what a change of the story `pk` from `before` to `after` purges.

    Nothing if readers saw it neither before nor after (a draft saved). A story
    that appears, goes, or moves in time purges every list it is or was on; an
    edit in place purges its own key (every answer showing it) and the lists it
    joined or left.
    """
    if before is None and after is None:
        return set()
    if before is None or after is None or before.publish_at != after.publish_at:
        changed_lists = lists_of(before) | lists_of(after)
    else:
        changed_lists = lists_of(before) ^ lists_of(after)
    return {keys.story(pk), keys.UPDATES, *changed_lists}


def other_editions(pk: int) -> set[str]:
    """Return the keys of the other editions of the story `pk`'s piece of news.

    Their pages link this one (hreflang) and their API items name it: a story that
    appears, goes or changes changes them too. One query.
    """
    original = Article.objects.filter(pk=pk).values(original=Coalesce("translation_of_id", "pk"))
    editions = Article.objects.filter(editions_q(Subquery(original))).exclude(pk=pk)
    return {keys.story(edition) for edition in editions.values_list("pk", flat=True)}


def purge_story(sender, article_id: int, before: Footprint | None, **kwargs) -> None:
    def purged() -> set[str]:
        found = story_keys(article_id, before, footprint(article_id))
        return found | other_editions(article_id) if found else found

    purge_on_commit(purged)


def purge_topics(sender, topic_ids: list[int], shown_ids: list[int] = (), **kwargs) -> None:
    def topic_keys() -> set[str]:
        purged = {keys.subject("topic", pk) for pk in topic_ids}
        purged.update(keys.listing("topic", pk) for pk in topic_ids)
        # A topic readers did not see was named on no answer: its stories' are purged.
        stories = ArticleTopic.objects.filter(tag__in=shown_ids, publish_at__isnull=False)
        purged.update(keys.story(pk) for pk in stories.values_list("content_object_id", flat=True))
        return purged

    purge_on_commit(topic_keys)


def purge_section(sender, instance: Section, **kwargs) -> None:
    # Every page shows the sections in its navigation.
    keys_ = {keys.NAVIGATION, keys.subject("section", instance.pk)}
    purge_on_commit(keys_ | {keys.listing("section", instance.pk)})


def purge_source(sender, instance: Source, **kwargs) -> None:
    purge_on_commit({keys.subject("source", instance.pk), keys.listing("source", instance.pk)})


def purge_pin(sender, instance: Pin, **kwargs) -> None:
    page = keys.listing("section", instance.section_id) if instance.section_id else keys.HOME
    purge_on_commit({page, keys.story(instance.article_id)})


def purge_correction(sender, instance: Correction, **kwargs) -> None:
    # Added through the workflow (`story_changed`); removed in the admin as a row.
    purge_on_commit({keys.story(instance.article_id)})


def purge_article(sender, instance: Article, **kwargs) -> None:
    # Stories leave through the workflow; a public row deleted outright leaves every list.
    if instance.status == Article.Status.PUBLISHED:
        purge_on_commit({keys.story(instance.pk), keys.LATEST, keys.UPDATES})


def purge_author(sender, instance, created: bool = False, update_fields=None, **kwargs) -> None:
    if created or (update_fields is not None and not NAME_FIELDS & set(update_fields)):
        return
    purge_on_commit({keys.subject("author", instance.pk)})


def purge_photo(sender, instance: Image, created: bool = False, **kwargs) -> None:
    if created:
        return  # On no story yet.
    story_ids = list(
        Article.objects.published().filter(lead_image=instance).values_list("pk", flat=True)
    )
    purge_on_commit({keys.story(pk) for pk in story_ids})


def due_keys(since: datetime, now: datetime) -> set[str]:
    """Return what to purge for the stories gone out and the pins ended in (since, now]."""
    went_out = Article.objects.filter(publish_at__gt=since, publish_at__lte=now)
    purged = set()
    for pk, story in public_footprints(went_out).items():
        purged |= story_keys(pk, None, story)
    for section_id, article_id in Pin.objects.filter(
        ends_at__gt=since, ends_at__lte=now
    ).values_list("section_id", "article_id"):
        purged |= {keys.listing("section", section_id) if section_id else keys.HOME}
        purged.add(keys.story(article_id))
    return purged


def connect() -> None:
    story_changed.connect(purge_story, dispatch_uid="frontcache-story")
    topics_changed.connect(purge_topics, dispatch_uid="frontcache-topics")
    rows = {Section: purge_section, Source: purge_source, Pin: purge_pin, Image: purge_photo}
    for model, receiver in rows.items():
        post_save.connect(receiver, sender=model, dispatch_uid=f"frontcache-{model.__name__}-save")
        # A photo's stories are found before its deletion takes it off them.
        deleted = pre_delete if model is Image else post_delete
        deleted.connect(receiver, sender=model, dispatch_uid=f"frontcache-{model.__name__}-del")
    post_delete.connect(purge_correction, sender=Correction, dispatch_uid="frontcache-correction")
    post_delete.connect(purge_article, sender=Article, dispatch_uid="frontcache-article")
    post_save.connect(purge_author, sender=get_user_model(), dispatch_uid="frontcache-author")
    post_delete.connect(purge_author, sender=get_user_model(), dispatch_uid="frontcache-author-del")
