"""Who hears of each change of a story: the deliveries `articles.signals.story_changed` makes.

After the commit (a rolled-back change sends nothing), one change of a story:

- that partners may receive now (`Article.objects.for_partners()`: public, or
  released under embargo) goes to every active endpoint of an active partner
  whose scope takes it: `published` the first time that endpoint hears of the
  story, `corrected` for a correction, `updated` otherwise;
- that takes it down after partners had it (`taken_down_q`) goes to the
  endpoints that heard of it (`withheld` when unpublished, `canceled` when
  withdrawn or deleted), once;
- scheduled, and not released under embargo, is delivered when it goes public
  (`partners.tasks.deliver_when_public`, queued for its publish time);
- anything else (a draft, a story in review) goes nowhere.

The deliveries are made in one query and sent by one task: a publish costs the
same few queries for one endpoint or a thousand.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, OuterRef, Subquery
from django.utils import timezone

from articles.models import Article, partner_q, taken_down_q
from articles.signals import story_changed
from partners.models import Delivery, Endpoint
from partners.tasks import deliver, deliver_when_public

TAKEN_DOWN = {
    Article.Status.UNPUBLISHED: Delivery.Event.WITHHELD,
    Article.Status.WITHDRAWN: Delivery.Event.CANCELED,
    Article.Status.DELETED: Delivery.Event.CANCELED,
}


def plan(article_id: int, *, corrected: bool = False) -> list[int]:
    """Make the deliveries of a change of the story `article_id`, queue them; return their ids."""
    now = timezone.now()
    article = (
        Article.objects.filter(pk=article_id)
        .annotate(
            receivable=ExpressionWrapper(partner_q(now=now), output_field=BooleanField()),
            taken_down=ExpressionWrapper(taken_down_q(now=now), output_field=BooleanField()),
        )
        .only("status", "publish_at", "version", "source_id", "section_id", "language")
        .first()
    )
    if article is None:
        return []
    if not article.receivable and not article.taken_down:
        scheduled = article.status == Article.Status.PUBLISHED and article.publish_at > now
        # Whoever is registered by then hears of it; with no endpoints at all, no task.
        if scheduled and Endpoint.objects.receiving().exists():
            deliver_when_public.using(run_after=article.publish_at).enqueue(
                article.pk, article.version
            )
        return []
    # What this endpoint last heard of the story, if anything.
    last_event = Subquery(
        Delivery.objects.filter(article_id=article.pk, endpoint=OuterRef("pk"))
        .order_by("-created_at", "-pk")
        .values("event")[:1]
    )
    if article.receivable:
        again = Delivery.Event.CORRECTED if corrected else Delivery.Event.UPDATED
        endpoints = Endpoint.objects.receiving().taking(article).annotate(last_event=last_event)
        events = {
            pk: again if heard else Delivery.Event.PUBLISHED
            for pk, heard in endpoints.values_list("pk", "last_event")
        }
    else:
        # Those that heard of it, whatever their scope is now; told once.
        event = TAKEN_DOWN[article.status]
        endpoints = (
            Endpoint.objects.receiving()
            .annotate(last_event=last_event)
            .filter(last_event__isnull=False)
            .exclude(last_event=event)
        )
        events = dict.fromkeys(endpoints.values_list("pk", flat=True), event)
    deliveries = [
        Delivery(endpoint_id=pk, article_id=article.pk, event=event, created_at=now)
        for pk, event in events.items()
    ]
    if not deliveries:
        return []
    with transaction.atomic():
        ids = [delivery.pk for delivery in Delivery.objects.bulk_create(deliveries)]
        deliver.enqueue(ids)
    return ids


def push_story(sender, article_id: int, corrected: bool = False, **kwargs) -> None:
    # Robust: the change is saved whatever happens here; a failure is logged.
    transaction.on_commit(lambda: plan(article_id, corrected=corrected), robust=True)


def connect() -> None:
    story_changed.connect(push_story, dispatch_uid="partners-push")
