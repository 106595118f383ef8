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
