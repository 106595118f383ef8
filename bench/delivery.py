"""Publish → partners: how soon a story published through the workflow reaches 100 endpoints.

The benchmark's own process is the newsroom and the task worker here: it
registers `ENDPOINTS` partners, each with an endpoint on one local receiver (a
threaded HTTP server, a path per endpoint, answering 200), publishes stories
with `articles.workflow` as the admin does, and runs the delivery task the
publish queued, in this process, as `manage.py db_worker` would. A story's time
runs from its commit until every receiver path holds its payload.

The partners are the benchmark's own (named `bench-partner-…`) and the stories
the desk's: both are deleted at the end of a run, and whatever an interrupted
run left at the start of the next.

Imported only after Django is set up with the benchmark's environment.
"""

from __future__ import annotations

import json
import statistics
import threading
import time
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.db import transaction
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from bench.measure import percentile
from bench.publishing import DUMMY_BACKEND, Desk, remove_desk_stories
from partners.models import Endpoint, Partner
from partners.tasks import deliver

PARTNER_PREFIX = "bench-partner-"
ENDPOINTS = 100


class Server(ThreadingHTTPServer):
    daemon_threads = True
    # A hundred connections arrive at once: room for them all in the listen queue.
    request_queue_size = 256


class Receivers:
    """Partners' endpoints on one local server: when each story reached each path."""

    def __init__(self) -> None:
        self.arrived: dict[str, set[str]] = defaultdict(set)  # story id → paths
        self.changed = threading.Condition()
        receivers = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                item = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()
                story = item["altIds"][0]["value"]
                with receivers.changed:
                    receivers.arrived[story].add(self.path)
                    receivers.changed.notify_all()

            def log_message(self, *args) -> None:
                pass

        self.httpd = Server(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self, number: int) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/endpoint-{number}"

    def wait(self, story: int, count: int, deadline: float) -> bool:
        """Wait until `count` paths have `story`, or the monotonic `deadline`; return whether."""
        with self.changed:
            return self.changed.wait_for(
                lambda: len(self.arrived[str(story)]) >= count,
                timeout=max(0.0, deadline - time.monotonic()),
            )

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def remove_bench_partners() -> int:
    """Delete the benchmark's partners (their endpoints and deliveries with them)."""
    partners = Partner.objects.filter(name__startswith=PARTNER_PREFIX)
    found = partners.count()
    partners.delete()
    return found


def register(receivers: Receivers, count: int) -> None:
    with transaction.atomic():
        partners = Partner.objects.bulk_create(
            Partner(name=f"{PARTNER_PREFIX}{number}") for number in range(count)
        )
        Endpoint.objects.bulk_create(
            Endpoint(partner=partner, url=receivers.url(number))
            for number, partner in enumerate(partners)
        )


def run_queued_deliveries() -> None:
    """Run the delivery tasks waiting in the queue, in this process, as the worker would."""
    for queued in DBTaskResult.objects.ready().filter(task_path=deliver.module_path):
        queued.delete()
        deliver.call(*queued.args_kwargs["args"], **queued.args_kwargs["kwargs"])


def publish_to_partners(
    desk: Desk, rounds: int = 20, endpoints: int = ENDPOINTS, timeout: float = 10
) -> dict:
    """Publish `rounds` stories; time each from its commit until all `endpoints` have it."""
    receivers = Receivers()
    seconds, timeouts = [], 0
    settings = {
        "NEWSROOM_PUSH_ALLOWED_NETWORKS": ["127.0.0.0/8"],
        "NEWSROOM_PUSH_ALLOW_HTTP": True,
        # No Varnish runs now: a purge would fail and wait in the queue.
        "NEWSROOM_FRONT_CACHE": {"BACKEND": DUMMY_BACKEND},
    }
    try:
        with override_settings(**settings):
            remove_bench_partners()
            register(receivers, endpoints)
            for _ in range(rounds):
                article = desk.draft()
                committed = desk.publish(article)
                run_queued_deliveries()
                if receivers.wait(article.pk, endpoints, committed + timeout):
                    seconds.append(time.monotonic() - committed)
                else:
                    timeouts += 1
                    seconds.append(timeout)
    finally:
        receivers.stop()
        with override_settings(**settings):
            remove_bench_partners()
            remove_desk_stories(front_cache=False)
    ordered = sorted(seconds)
    return {
        "rounds": rounds,
        "endpoints": endpoints,
        "p50_s": round(statistics.median(ordered), 3),
        "p95_s": round(percentile(ordered, 95), 3),
        "max_s": round(ordered[-1], 3),
        "timeouts": timeouts,
        "timeout_s": timeout,
    }
