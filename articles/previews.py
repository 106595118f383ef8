"""Preview links: signed, expiring, revocable addresses of a story's preview.

The token in the address is the link's id and expiry signed with the site's
secret key (`django.core.signing`), so it cannot be guessed or altered; the
`PreviewLink` row lets an editor revoke it before it expires.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from articles import workflow
from articles.models import Article, PreviewLink

SALT = "articles.preview-link"
LIFETIMES = {
    "1h": (_("1 hour"), timedelta(hours=1)),
    "1d": (_("1 day"), timedelta(days=1)),
    "3d": (_("3 days"), timedelta(days=3)),
    "7d": (_("7 days"), timedelta(days=7)),
}
DEFAULT_LIFETIME = "1d"


class LinkGone(Exception):
    """A genuine preview link that no longer works; the message says why."""


def token_for(link: PreviewLink) -> str:
    return signing.Signer(salt=SALT).sign_object(
        {"link": link.pk, "expires": int(link.expires_at.timestamp())}
    )


def url_for(link: PreviewLink) -> str:
    """Return the absolute address to send to the reader of the preview."""
    return settings.SITE_URL + reverse("articles:shared_preview", kwargs={"token": token_for(link)})


def link_for_token(token: str) -> PreviewLink:
    """Return the working link a token names.

    Raises `signing.BadSignature` for a token not made here (or altered) and
    `LinkGone` for an expired or revoked link or a deleted story.
    """
    data = signing.Signer(salt=SALT).unsign_object(token)
    try:
        link_id, expires = int(data["link"]), int(data["expires"])
    except (KeyError, TypeError, ValueError):
        raise signing.BadSignature("Malformed preview token.") from None
    if expires <= timezone.now().timestamp():
        raise LinkGone(gettext("This preview link has expired."))
    link = (
        PreviewLink.objects.select_related("article")
        .only("expires_at", "revoked_at", "article__status")
        .filter(pk=link_id)
        .first()
    )
    if link is None or link.revoked_at is not None:
        raise LinkGone(gettext("This preview link has been withdrawn."))
    if link.expires_at <= timezone.now():
        raise LinkGone(gettext("This preview link has expired."))
    if link.article.status == Article.Status.DELETED:
        raise LinkGone(gettext("This story has been withdrawn."))
    return link


def create(article: Article, user, lifetime: str = DEFAULT_LIFETIME, note: str = "") -> PreviewLink:
    """Make a preview link for `article` that works for `lifetime` (a key of `LIFETIMES`)."""
    if not workflow.can_share_preview(user):
        raise workflow.WorkflowError(gettext("Only editors may make preview links."))
    if article.status == Article.Status.DELETED:
        raise workflow.WorkflowError(gettext("A deleted story cannot be previewed."))
    now = timezone.now()
    return PreviewLink.objects.create(
        article=article,
        note=note.strip(),
        created_by=user,
        created_at=now,
        expires_at=now + LIFETIMES[lifetime][1],
    )


def revoke(link: PreviewLink, user) -> None:
    """Stop a preview link working now."""
    if not workflow.can_share_preview(user):
        raise workflow.WorkflowError(gettext("Only editors may revoke preview links."))
    with transaction.atomic():
        PreviewLink.objects.filter(pk=link.pk, revoked_at=None).update(revoked_at=timezone.now())
