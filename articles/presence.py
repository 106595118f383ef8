"""Who has a story open in the admin's form right now.

Opening the form marks the user present; the page then refreshes the mark
every `HEARTBEAT_SECONDS` while it stays open, and clears it when it is left.
A mark older than `NEWSROOM_PRESENCE_SECONDS` has lapsed, so without
JavaScript the warning still shows for a while after each page load.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.people import display_name
from articles.models import Article, ArticlePresence

HEARTBEAT_SECONDS = 30


def cutoff():
    return timezone.now() - timedelta(seconds=settings.NEWSROOM_PRESENCE_SECONDS)


def mark(article: Article, user) -> None:
    """Record that `user` has the story open now."""
    now = timezone.now()
    ArticlePresence.objects.filter(article=article, seen_at__lt=cutoff()).delete()
    ArticlePresence.objects.update_or_create(
        article=article,
        user=user,
        defaults={"seen_at": now},
        create_defaults={"started_at": now, "seen_at": now},
    )


def leave(article: Article, user) -> None:
    ArticlePresence.objects.filter(article=article, user=user).delete()


def others(article: Article, user) -> list[ArticlePresence]:
    """Return who else has the story open, earliest first."""
    return list(
        ArticlePresence.objects.filter(article=article, seen_at__gte=cutoff())
        .exclude(user=user)
        .select_related("user")
        .order_by("started_at")
    )


def describe(presences: list[ArticlePresence]) -> str:
    """Return "Being edited by Olena Kovalenko (since 14:02)", or "" when nobody is."""
    if not presences:
        return ""
    names = ", ".join(
        _("%(person)s (since %(time)s)")
        % {
            "person": display_name(p.user),
            "time": f"{timezone.localtime(p.started_at):%H:%M}",
        }
        for p in presences
    )
    return _("Being edited by %(people)s. Their save and yours cannot both go through.") % {
        "people": names
    }
