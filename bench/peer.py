"""The Wagtail peer's measurements on this machine, to check the targets against.

`../shared/peers/wagtail-news/bench.sh` builds a minimal Wagtail news site, seeds
it and loads it with wrk on this machine, writing `runs.jsonl` into a results
folder. Run it just before or after `make bench` and pass that folder as
`BENCH_PEER`: the targets are then checked against what Wagtail did on the same
machine within the hour, not against the figures of its README scaled by the
hello-world floor (a slower machine slows a page more than it slows hello world).
"""

from __future__ import annotations

import json
from pathlib import Path

# Our page kinds and the peer's closest page: its front page and its tag page.
PAGES = {"article": "article", "home": "index", "topic": "tag"}


def cpu_ms_per_request(run: dict) -> float:
    """CPU time the run cost per request, as the peer counts it (its processes and wrk)."""
    # cpu_ours is in percent of one core: 195 is nearly both cores of this machine busy.
    return run["cpu_ours"] * 10 / run["rps"]


def fastest(runs: list[dict]) -> dict:
    run = max(runs, key=lambda r: r["rps"])
    return {
        "rps": run["rps"],
        "cpu_ms_per_request": round(cpu_ms_per_request(run), 2),
        "p50_ms": run["p50_ms"],
        "p99_ms": run["p99_ms"],
        "c": run["c"],
    }


def read_results(folder: Path) -> dict:
    """Return the peer's fastest run of each page, uncached and cached, and its floor.

    Only the largest data size in the folder counts. Raises ValueError when the
    folder holds no Wagtail runs.
    """
    path = folder / "runs.jsonl"
    try:
        lines = path.read_text().splitlines()
    except OSError as error:
        raise ValueError(f"no peer results at {path}: {error.strerror}") from None
    runs = [json.loads(line) for line in lines if line.strip()]
    site = [r for r in runs if r.get("target") == "wagtail" and r.get("rps")]
    if not site:
        raise ValueError(f"{path} holds no Wagtail runs")
    size = max(r["n"] for r in site)
    site = [r for r in site if r["n"] == size]
    uncached = {}
    for ours, theirs in PAGES.items():
        page_runs = [r for r in site if r["cache"] == "uncached" and r["page"] == theirs]
        if page_runs:
            uncached[ours] = fastest(page_runs)
    cached = [r for r in site if r["cache"] == "cached"]
    hello = [r for r in runs if r.get("target") == "django-hello" and r.get("rps")]
    return {
        "folder": str(folder),
        "articles": size,
        "when": max(r["when"] for r in site),
        "uncached": uncached,
        "cached": fastest(cached) if cached else None,
        "floor": fastest(hello) if hello else None,
    }
