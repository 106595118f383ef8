from django.core.cache import cache

from newsroom.versions import VersionCounter


def test_a_bump_moves_the_counter_on():
    counter = VersionCounter("test:version")
    first = counter.current()
    assert counter.current() == first
    counter.bump()
    assert counter.current() == first + 1


def test_a_lost_counter_starts_again_past_every_earlier_value():
    counter = VersionCounter("test:version")
    counter.bump()  # No counter yet: the bump starts one.
    before = counter.current()
    counter.bump()
    cache.delete(counter.key)
    assert counter.current() > before + 1


def test_a_trusted_value_is_read_again_only_after_its_time(monkeypatch):
    from newsroom import versions

    counter = VersionCounter("test:version", trusted_for=1.0)
    first = counter.current()
    cache.incr(counter.key)  # Another process bumps it.
    assert counter.current() == first
    now = versions.time.monotonic()
    monkeypatch.setattr(versions.time, "monotonic", lambda: now + 1.0)
    assert counter.current() == first + 1


def test_a_bump_in_this_process_is_seen_at_once():
    counter = VersionCounter("test:version", trusted_for=60.0)
    first = counter.current()
    counter.bump()
    assert counter.current() == first + 1
