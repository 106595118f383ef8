"""The scale-out stack measured: two origins behind Varnish, a replica, photos in S3.

`make stack STACK_ORIGINS=2 STACK_REPLICA=1 STACK_MEDIA=s3` on free ports, with the demo
newsroom (deploy.scaleout.scale_out_stack), then:

- throughput: wrk with every request a front-cache miss (so that the origins render
  each), through Varnish over both origins, against one origin asked directly; in
  alternating rounds, the median of each, so that the machine's noise falls on both;
- the drills of deploy.scaleout: an origin killed under that load (failed requests
  while Varnish's probe marks it sick, and after), the replica 30 s behind (stale
  answers), publish on one origin and read through the front cache, the photo's life.

Photo pages with object storage against local files are timed in-process
(`bench.measure.photo_pages`), on the benchmark's own database.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from deploy.objectstore import missing as s3_missing
from deploy.scaleout import Newsroom, scale_out_stack
from deploy.varnish import missing as varnish_missing

ROUNDS = 5


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def missing() -> str | None:
    """Why the scale-out stack cannot run here, or None."""
    return varnish_missing() or s3_missing()


def measure(seconds: float) -> dict[str, object]:
    """Start the scale-out stack, load it, run its drills; return the figures."""
    with tempfile.TemporaryDirectory() as folder:
        log("scale-out stack: 2 origins, a primary and a replica, S3, Redis, Varnish")
        with scale_out_stack(Path(folder) / "stack") as stack:
            newsroom = Newsroom(stack)
            front_url = stack.varnish.url + "/"
            one_url = newsroom.origin(0) + "/"
            # Every page once: the origins' shared and per-process caches are warm.
            newsroom.wrk_misses(front_url, 2)
            newsroom.wrk_misses(one_url, 2)
            front, one = [], []
            for number in range(ROUNDS):
                log(f"scale-out throughput, round {number + 1} of {ROUNDS}")
                front.append(newsroom.wrk_misses(front_url, seconds))
                one.append(newsroom.wrk_misses(one_url, seconds))
            middle_front = sorted(front, key=lambda run: run["rps"])[ROUNDS // 2]
            middle_one = sorted(one, key=lambda run: run["rps"])[ROUNDS // 2]
            log("scale-out drills")
            figures = {
                "origins": len(stack.origin_ports),
                "throughput": {
                    # The median round of each.
                    "front_cache_two_origins": middle_front,
                    "one_origin": middle_one,
                    "rounds": {"front_cache_two_origins": front, "one_origin": one},
                },
                "publish_across_origins": newsroom.publish_across_origins(),
                "origin_stopped": newsroom.origin_stopped(during=3, after=seconds),
                "replica_lag": newsroom.replica_lag(delay=30),
                "photo_lifecycle": newsroom.photo_lifecycle(Path(folder)),
            }
    return figures
