"""The range of times the site stores and compares, and the checks that keep input inside it.

Python's datetime reaches from year 1 to 9999 at any UTC offset up to ±23:59;
PostgreSQL refuses offsets beyond ±15:59 and psycopg cannot read back a time
before year 1 in UTC. So "0001-01-01 00:00" in Kyiv (0000-12-31 in UTC) is
stored but breaks every page that reads it again, and shifting "9999-12-31" into
another zone overflows. Times from outside (API parameters, forms, feeds) are
brought inside `EARLIEST`..`LATEST` in UTC, which stays representable in every
time zone, before they reach a query.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A day in from each end of Python's calendar: shown in any zone, still a valid datetime.
EARLIEST = datetime(1, 1, 2, tzinfo=UTC)
LATEST = datetime(9999, 12, 30, tzinfo=UTC)


def in_utc(value: datetime) -> datetime | None:
    """Return `value` in UTC (naive means the site's time zone), or None outside the range."""
    if timezone.is_naive(value):
        value = timezone.make_aware(value, timezone.get_default_timezone())
    try:
        value = value.astimezone(UTC)
    except OverflowError:  # Shifted past year 1 or 9999.
        return None
    return value if EARLIEST <= value <= LATEST else None


def clamped_utc(value: datetime) -> datetime:
    """Return `value` in UTC, moved to the nearest end of the range if it lies beyond.

    For comparisons: "changed since 0001-01-01" means since the beginning.
    """
    found = in_utc(value)
    if found is not None:
        return found
    # Only the first and last years can overflow when shifted by less than a day.
    return EARLIEST if value.year < 5000 else LATEST


def validate_storable(value: datetime | None) -> None:
    """Refuse a time the database could store but not give back (a form field validator)."""
    if value is not None and in_utc(value) is None:
        raise ValidationError(
            _("Enter a time between %(earliest)s and %(latest)s."),
            code="out_of_range",
            params={
                "earliest": EARLIEST.date().isoformat(),
                "latest": LATEST.date().isoformat(),
            },
        )
