"""The front cache's targets: against nginx in the same run, publish → visible, hit ratio."""

from bench.front import nginx_config
from bench.report import CEILING_PAGE, targets, verdicts


def load(page: str, mode: str, rps: float, p99: float = 1.0, c: int = 32, errors: int = 0):
    return {"page": page, "mode": mode, "c": c, "rps": rps, "p99_ms": p99,
            "cpu_ms_per_request": 0.1, "errors": errors}  # fmt: skip


def results(**extra) -> dict:
    return {"queries_per_page": {}, "operations": {}, "load": [], **extra}


def test_a_cached_page_must_reach_half_of_nginx_at_the_same_concurrency():
    lines = verdicts(
        results(
            load=[
                load(CEILING_PAGE, "ceiling", 30_000.0),
                load(CEILING_PAGE, "ceiling", 100_000.0, c=8),  # Another concurrency.
                load("home", "front cache", 16_000.0, p99=3.0),
                load("article", "front cache", 14_000.0, p99=2.0),
            ]
        )
    )
    assert (
        "PASS  home front cache c=32: 16,000 req/s (≥ half of nginx's 30,000), "
        "p99 3.00 ms (≤ 5; nginx's 1.00)" in lines
    )
    assert (
        "MISS  article front cache c=32: 14,000 req/s (≥ half of nginx's 30,000), "
        "p99 2.00 ms (≤ 5; nginx's 1.00)" in lines
    )


def test_a_cached_page_slower_than_5_ms_at_the_99th_percentile_misses():
    found = targets(
        results(
            load=[
                load(CEILING_PAGE, "ceiling", 30_000.0),
                load("topic", "front cache", 20_000.0, p99=5.5),
            ]
        )
    )
    assert found == [
        {
            "ok": False,
            "text": "topic front cache c=32: 20,000 req/s (≥ half of nginx's 30,000), "
            "p99 5.50 ms (≤ 5; nginx's 1.00)",
        }
    ]


def test_the_article_sql_budget_is_a_target_of_its_own():
    assert verdicts(results(queries_per_page={"article": 5})) == [
        "MISS  article origin: 5 SQL (≤ 4)"
    ]


def visible(p95: float, timeouts: int = 0, hits: int = 20) -> dict:
    return {
        **{"rounds": 20, "p50_s": 0.1, "p95_s": p95, "max_s": p95, "timeout_s": 10},
        **{"timeouts": timeouts, "last_to_show": {}, "never_shown": {}},
        "other_section_hits": hits,
    }


def test_a_story_must_show_on_all_its_pages_within_a_second_at_p95():
    assert verdicts(results(publish_to_visible=visible(0.8)))[0] == (
        "PASS  publish → visible on all its pages: p95 0.800 s (≤ 1), 0 never shown"
    )
    assert verdicts(results(publish_to_visible=visible(1.2)))[0].startswith("MISS")
    assert verdicts(results(publish_to_visible=visible(0.5, timeouts=1)))[0].startswith("MISS")


def test_a_page_the_story_is_not_on_must_stay_cached():
    lines = verdicts(results(publish_to_visible=visible(0.5, hits=19)))
    assert (
        "MISS  another section's page still cached after a publish: 19 of 20 X-Cache: HIT" in lines
    )


def work(hits: int, misses: int, errors: int = 0) -> dict:
    return {"hits": hits, "misses": misses, "hit_ratio": hits / (hits + misses), "errors": errors}


def test_readers_at_work_must_be_answered_from_the_cache_95_times_in_100():
    assert verdicts(results(newsroom_at_work=work(96, 4))) == [
        "PASS  newsroom at work: 96.00% of answers from the front cache (≥ 95%), 0 errors"
    ]
    assert verdicts(results(newsroom_at_work=work(94, 6)))[0].startswith("MISS")
    assert verdicts(results(newsroom_at_work=work(99, 1, errors=3)))[0].startswith("MISS")


def test_nginx_runs_in_the_foreground_from_its_own_folder_with_keep_alive(tmp_path):
    config = nginx_config(tmp_path, 8403, workers=2, user=None)
    assert "daemon off;" in config
    assert f"pid {tmp_path / 'nginx.pid'};" in config
    assert "listen 127.0.0.1:8403;" in config
    assert "keepalive_timeout 65s;" in config
    assert "user " not in config
    assert "user root;" in nginx_config(tmp_path, 8403, workers=2, user="root")
