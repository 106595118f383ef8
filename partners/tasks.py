"""Task-worker jobs of the push delivery (`manage.py db_worker` runs them).

- `deliver`: one attempt of each delivery given (`partners.push.attempt`); the
  failed ones queue their own retry, after the next of `NEWSROOM_PUSH_RETRY_WAITS`.
- `deliver_when_public`: a scheduled story (not released under embargo) reaches
  partners when it goes public; queued for its publish time when it is saved.
"""

from __future__ import annotations

from django_tasks import task


@task()
def deliver(delivery_ids: list[int]) -> str:
    """Make an attempt of each delivery of `delivery_ids` that is due."""
    from partners.push import attempt, claim

    deliveries = claim(delivery_ids)
    if not deliveries:
        return "nothing due"
    counts = attempt(deliveries)
    return ", ".join(f"{count} {outcome}" for outcome, count in counts.items())


@task()
def deliver_when_public(article_id: int, version: int) -> str:
    """Tell partners of a scheduled story gone public, if it is still the `version` scheduled.

    Any later change of the story decided for itself (a new time, unpublished...).
    """
    from articles.models import Article
    from partners.receivers import plan

    stored = Article.objects.filter(pk=article_id).values_list("version", flat=True).first()
    if stored != version:
        return "changed since it was scheduled"
    return f"{len(plan(article_id))} deliveries"
