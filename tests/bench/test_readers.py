"""Readers spread over the site by a Zipf law, and the share the front cache answers."""

from collections import Counter

import pytest

from bench.front import parse_varnishstat
from bench.readers import hit_ratio, zipf_sample

PATHS = [f"/page-{rank}/" for rank in range(1, 1001)]


def test_the_first_url_is_asked_for_most_the_second_about_half_as_often():
    counts = Counter(zipf_sample(PATHS, 200_000, exponent=1.0))
    first, second, tenth = counts["/page-1/"], counts["/page-2/"], counts["/page-10/"]
    assert counts.most_common(1)[0][0] == "/page-1/"
    assert 1.8 < first / second < 2.2
    assert 8 < first / tenth < 12


def test_the_first_url_takes_its_share_of_the_harmonic_sum():
    # 1 / H(1000), H(1000) ≈ 7.485: about 13.4% of the requests.
    counts = Counter(zipf_sample(PATHS, 200_000, exponent=1.0))
    assert counts["/page-1/"] / 200_000 == pytest.approx(1 / 7.485, rel=0.03)


def test_a_steeper_law_asks_for_the_first_url_more():
    flat = Counter(zipf_sample(PATHS, 50_000, exponent=0.8))["/page-1/"]
    steep = Counter(zipf_sample(PATHS, 50_000, exponent=1.2))["/page-1/"]
    assert steep > flat


def test_the_sample_is_the_same_from_one_run_to_the_next():
    assert zipf_sample(PATHS, 1000) == zipf_sample(PATHS, 1000)
    assert zipf_sample(PATHS, 1000, seed=1) != zipf_sample(PATHS, 1000, seed=2)


def test_the_sample_has_the_length_asked_for_and_only_the_urls_given():
    sample = zipf_sample(PATHS[:3], 500)
    assert len(sample) == 500
    assert set(sample) == set(PATHS[:3])


def test_nothing_to_draw_from_is_refused():
    with pytest.raises(ValueError, match="nothing to draw from"):
        zipf_sample([], 10)


@pytest.mark.parametrize(
    ("hits", "misses", "ratio"), [(95, 5, 0.95), (10, 0, 1.0), (0, 4, 0.0), (0, 0, None)]
)
def test_the_hit_ratio_is_the_share_of_answers_from_the_cache(hits, misses, ratio):
    assert hit_ratio(hits, misses) == ratio


def test_varnish_counters_are_read_from_varnishstat_output():
    output = (
        "MAIN.cache_hit             725755        24.12 Cache hits\n"
        "MAIN.cache_miss                13         0.00 Cache misses\n"
        "\n"
    )
    assert parse_varnishstat(output) == {"MAIN.cache_hit": 725755, "MAIN.cache_miss": 13}
