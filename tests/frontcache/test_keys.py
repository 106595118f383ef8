"""Surrogate keys: how they are named, bounded and widened for a purge."""

from frontcache import keys


def test_a_header_within_the_bound_keeps_every_key():
    assert keys.header_value(["story-2", "story-1", "latest"]) == "latest story-1 story-2"


def test_a_header_past_the_bound_gives_the_most_numerous_kind_its_catch_all():
    many = [keys.story(pk) for pk in range(2000)]
    value = keys.header_value([*many, "topic-1", "latest"])
    assert len(value) <= keys.MAX_HEADER_LENGTH
    assert value.split() == ["latest", "story-all", "topic-1"]


def test_a_purge_also_purges_the_catch_all_of_each_kind_it_names():
    assert keys.with_catch_alls(["story-1", "list-topic-3", "latest"]) == {
        "story-1",
        "story-all",
        "list-topic-3",
        "list-all",
        "latest",
    }
