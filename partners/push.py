"""Push delivery: a change of a story POSTed to each partner endpoint that should hear of it.

Each attempt sends the story as it stands then (`api.ninjs.ninjs`, as JSON in
UTF-8): a full item while partners may use it (with `embargoedUntil` under
embargo), a tombstone once it is taken down. A retry never sends an older state
than the last attempt did. The headers:

    Content-Type: application/json
    Newsroom-Event: published | updated | corrected | withheld | canceled
    Newsroom-Delivery: <the delivery's id; the same on every attempt of it>
    Newsroom-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">

How a partner checks a delivery, with the endpoint's signing secret
(`Endpoint.secret`; `verify` below does exactly this):

1. Split `Newsroom-Signature` on "," into `t=…` and `v1=…`.
2. Compute the HMAC-SHA256, keyed with the secret, of the bytes of `t`, a ".",
   then the request body exactly as received (before any JSON parsing); hex it.
3. Compare it with `v1` in constant time (Python: `hmac.compare_digest`).
4. Refuse it when `t` is more than five minutes (`SIGNATURE_TOLERANCE`) from
   the partner's clock: a captured delivery replayed later does not pass.

Then answer 2xx quickly: anything else, or no answer within
`NEWSROOM_PUSH_TIMEOUT`, fails the attempt, and it is tried again after each of
`NEWSROOM_PUSH_RETRY_WAITS` in turn, then given up. The same delivery may
arrive twice (a retry after a lost answer, a resend from the admin): keep its
`Newsroom-Delivery` id, and order changes of one story by the item's `version`.

Requests go out through `newsroom.outbound` (public addresses only unless
`NEWSROOM_PUSH_ALLOWED_NETWORKS` lists them, https unless
`NEWSROOM_PUSH_ALLOW_HTTP`, one deadline, the answer capped at
`NEWSROOM_PUSH_MAX_BYTES`), `NEWSROOM_PUSH_CONCURRENCY` at a time.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from http import HTTPStatus

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from api.ninjs import ninjs, with_ninjs
from articles.models import PARTNER_CHANGED, Article
from newsroom.outbound import OutboundError, apost
from partners.models import Delivery

# How far a signature's time may be from the receiver's clock (seconds).
SIGNATURE_TOLERANCE = 300
USER_AGENT = "Newsroom push (+https://github.com/newsroom)"
# The most of an error message a delivery keeps.
ERROR_LENGTH = Delivery._meta.get_field("error").max_length
# What an attempt changes of a delivery.
OUTCOME_FIELDS = (
    "status",
    "version",
    "pub_status",
    "attempts",
    "next_attempt_at",
    "response_status",
    "error",
    "delivered_at",
)


def sign(secret: str, body: bytes, timestamp: int) -> str:
    """Return the `Newsroom-Signature` of `body` sent at `timestamp`, with `secret`."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def verify(
    secret: str,
    body: bytes,
    signature: str,
    *,
    now: float | None = None,
    tolerance: int = SIGNATURE_TOLERANCE,
) -> bool:
    """Check a `Newsroom-Signature` as a partner does: the HMAC, then the time."""
    fields = dict(part.split("=", 1) for part in signature.split(",") if "=" in part)
    timestamp = fields.get("t", "")
    if not timestamp.isdigit() or "v1" not in fields:
        return False
    expected = sign(secret, body, int(timestamp)).rsplit("v1=", 1)[1]
    if not hmac.compare_digest(expected, fields["v1"]):
        return False
    return abs((time.time() if now is None else now) - int(timestamp)) <= tolerance


def stories(ids: Iterable[int]) -> dict[int, Article]:
    """Return the stories `ids` as they stand now, with what a ninjs item reads, by id.

    Loaded as the API loads them for partners (`with_ninjs`, with the partners'
    change time), whatever their status: a story taken down is sent as a tombstone.
    """
    found = with_ninjs(Article.objects.filter(pk__in=set(ids))).annotate(
        partner_changed=PARTNER_CHANGED
    )
    return {article.pk: article for article in found}


def body(article: Article) -> tuple[bytes, dict]:
    """Return the JSON body of `article` and the item it holds."""
    item = ninjs(article)
    return json.dumps(item, ensure_ascii=False, separators=(",", ":")).encode(), item


@dataclass
class Outcome:
    status: int | None = None  # The HTTP status, if an answer came.
    error: str = ""


@dataclass
class Request:
    url: str
    content: bytes
    headers: dict[str, str]
    secret: str  # Signs the body when it goes: the time signed is the time sent.


async def send_all(requests: list[Request]) -> list[Outcome]:
    """POST every request at once, `NEWSROOM_PUSH_CONCURRENCY` at a time."""
    limit = asyncio.Semaphore(settings.NEWSROOM_PUSH_CONCURRENCY)

    async def send(request: Request) -> Outcome:
        async with limit:
            signature = sign(request.secret, request.content, int(time.time()))
            try:
                status = await apost(
                    request.url,
                    request.content,
                    {**request.headers, "Newsroom-Signature": signature},
                    allowed_networks=settings.NEWSROOM_PUSH_ALLOWED_NETWORKS,
                    timeout=settings.NEWSROOM_PUSH_TIMEOUT,
                    max_bytes=settings.NEWSROOM_PUSH_MAX_BYTES,
                    allow_http=settings.NEWSROOM_PUSH_ALLOW_HTTP,
                )
            except OutboundError as error:
                return Outcome(error=str(error))
            if 200 <= status < 300:
                return Outcome(status)
            try:
                phrase = HTTPStatus(status).phrase
            except ValueError:
                phrase = ""
            return Outcome(status, f"HTTP {status} {phrase}".strip())

    return await asyncio.gather(*(send(request) for request in requests))


def due(ids: Iterable[int], now: datetime | None = None) -> QuerySet[Delivery]:
    """Return the deliveries of `ids` waiting for an attempt by `now` (none delivered or given up).

    A retry queued before the admin resent the delivery finds it done, or due later: skipped.
    """
    now = timezone.now() if now is None else now
    return (
        Delivery.objects.filter(
            pk__in=list(ids), status__in=[Delivery.Status.PENDING, Delivery.Status.FAILED]
        )
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .select_related("endpoint__partner")
        .order_by("pk")
    )


def claim(ids: Iterable[int], now: datetime | None = None) -> list[Delivery]:
    """Take the deliveries of `ids` that are `due` for one attempt, and return them.

    Each is leased to this attempt (its next attempt moved past the attempt's
    deadline): a second task on the same delivery at the same time, say a retry
    and a resend, finds it taken and sends nothing, rather than both sending and
    each recording its own outcome over the other's.
    """
    now = timezone.now() if now is None else now
    lease = now + timedelta(seconds=2 * settings.NEWSROOM_PUSH_TIMEOUT + 30)
    with transaction.atomic():
        taken = due(ids, now).select_for_update(of=("self",), skip_locked=True)
        claimed = list(taken.values_list("pk", flat=True))
        Delivery.objects.filter(pk__in=claimed).update(next_attempt_at=lease)
    return list(due(claimed, lease))


def attempt(deliveries: list[Delivery]) -> dict[str, int]:
    """Make one attempt of each delivery; record how it went and queue the retries.

    Returns how many were delivered, will be retried and were given up.
    """
    from partners.tasks import deliver

    waits = settings.NEWSROOM_PUSH_RETRY_WAITS
    found = stories(d.article_id for d in deliveries)
    bodies = {pk: body(article) for pk, article in found.items()}
    sending, requests = [], []
    counts = {"delivered": 0, "failed": 0, "given up": 0}
    for delivery in deliveries:
        endpoint = delivery.endpoint
        if not (endpoint.is_active and endpoint.partner.is_active):
            # Switched off since the change: nothing more is sent to it.
            delivery.status, delivery.next_attempt_at = Delivery.Status.GIVEN_UP, None
            delivery.error = "the endpoint or its partner was switched off"
            counts["given up"] += 1
            continue
        content, item = bodies[delivery.article_id]
        delivery.version = int(item["version"])
        delivery.pub_status = item["pubStatus"]
        sending.append(delivery)
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "Newsroom-Event": delivery.event,
            "Newsroom-Delivery": str(delivery.pk),
        }
        requests.append(Request(endpoint.url, content, headers, endpoint.secret))
    outcomes = asyncio.run(send_all(requests)) if requests else []
    now = timezone.now()
    retries: dict[datetime, list[int]] = defaultdict(list)
    for delivery, outcome in zip(sending, outcomes, strict=True):
        delivery.attempts += 1
        delivery.response_status = outcome.status
        delivery.error = outcome.error[:ERROR_LENGTH]
        if not outcome.error:
            delivery.status, delivery.delivered_at = Delivery.Status.DELIVERED, now
            delivery.next_attempt_at = None
            counts["delivered"] += 1
        elif delivery.attempts <= len(waits):
            delivery.status = Delivery.Status.FAILED
            delivery.next_attempt_at = now + timedelta(seconds=waits[delivery.attempts - 1])
            retries[delivery.next_attempt_at].append(delivery.pk)
            counts["failed"] += 1
        else:
            delivery.status, delivery.next_attempt_at = Delivery.Status.GIVEN_UP, None
            counts["given up"] += 1
    with transaction.atomic():
        record(deliveries)
        for run_after, ids in retries.items():
            deliver.using(run_after=run_after).enqueue(ids)
    return counts


def record(deliveries: list[Delivery]) -> None:
    """Save the outcome of the attempts: an UPDATE per distinct outcome, not per delivery.

    A publish to many endpoints mostly ends alike (delivered, same story, first
    attempt): one statement, where `bulk_update` would write a CASE per row.
    """
    alike = defaultdict(list)
    for delivery in deliveries:
        alike[tuple(getattr(delivery, field) for field in OUTCOME_FIELDS)].append(delivery.pk)
    for values, ids in alike.items():
        Delivery.objects.filter(pk__in=ids).update(**dict(zip(OUTCOME_FIELDS, values, strict=True)))


def resend(deliveries: Iterable[Delivery]) -> int:
    """Queue each delivery again now, as a fresh attempt of the same row; return how many.

    Its status goes back to waiting and its attempts are kept; the attempt sends
    the story as it stands then.
    """
    from partners.tasks import deliver

    ids = sorted({delivery.pk for delivery in deliveries})
    if not ids:
        return 0
    with transaction.atomic():
        Delivery.objects.filter(pk__in=ids).update(
            status=Delivery.Status.PENDING, next_attempt_at=None
        )
        deliver.enqueue(ids)
    return len(ids)
