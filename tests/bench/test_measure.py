"""The benchmark's own arithmetic."""

import pytest

from bench.measure import percentile


@pytest.mark.parametrize(
    ("count", "rank"),
    [(1, 1), (2, 2), (20, 19), (40, 38), (100, 95)],
)
def test_the_p95_is_the_nearest_rank_not_the_slowest_run(count, rank):
    samples = [float(n) for n in range(1, count + 1)]
    assert percentile(samples, 95) == rank


def test_the_median_rank():
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.0
