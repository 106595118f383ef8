"""`make drills`: take a part away from the production-like stack under load, and count.

    python -m deploy.drills redis     # Redis stopped for 20 s, then paused (SIGSTOP) for 10 s
    python -m deploy.drills postgres  # PostgreSQL stopped for 10 s, then started again
    python -m deploy.drills           # both

It runs `Stack` (Varnish, two gunicorn origins, the task worker, Redis) on free ports and
on a PostgreSQL server of its own (never the machine's server or var/postgres), with the
demo newsroom and an editor account. Reader threads ask the origins directly (pages
rendered afresh) and Varnish for public pages, and an editor saves a story through the
admin about once a second; then a part is taken away and given back. Printed as JSON,
per drill, from the moment the part goes until the origins are healthy again: requests
sent, answers by status, server errors on public pages, bare 500s (any 5xx but a 503
with Retry-After), copies Varnish served, editor saves made and failed, response times,
and the seconds the origins took to recover once the part was back.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser

import httpx

from deploy.servers import PostgresServer, wait_for_port
from deploy.stack import BASE_DIR, MANAGE, Stack, StackError
from deploy.varnish import free_port

STATE_DIR = BASE_DIR / "var" / "drills"
READERS_PER_TARGET = 3
# A reader's pause between requests: load, without taking the machine's every cycle.
READER_PAUSE = 0.02
EDITOR_PAUSE = 1.0
REQUEST_TIMEOUT = 30.0
EDITOR = "drill-editor"
PARTS = ("redis", "postgres")

# The published pages readers ask for, and the admin pages of a story the editor saves.
PAGES_SCRIPT = """
import json
from django.urls import reverse
from articles.models import Article, Section
stories = Article.objects.published().order_by("-publish_at")
story = stories.values_list("pk", flat=True).first()
print(json.dumps({
    "pages": ["/"]
    + [section.get_absolute_url() for section in Section.objects.all()]
    + [story.get_absolute_url() for story in stories[:20]],
    "login": reverse("admin:login"),
    "story": story and reverse("admin:articles_article_change", args=[story]),
}))
"""


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def bare_error(response: httpx.Response | None) -> bool:
    """A server error that is not a friendly "unavailable, try again" (503 + Retry-After)."""
    if response is None:
        return True
    if response.status_code < 500:
        return False
    return not (response.status_code == 503 and "Retry-After" in response.headers)


@dataclass
class Tally:
    """What the load saw during one drill."""

    origin: Counter = field(default_factory=Counter)  # Statuses of the origins' pages.
    front: Counter = field(default_factory=Counter)  # Statuses of Varnish's answers.
    front_copies: int = 0  # Answers Varnish served from a copy (X-Cache: HIT).
    public_server_errors: int = 0
    bare_500s: int = 0
    origin_seconds: list[float] = field(default_factory=list)
    saves: Counter = field(default_factory=Counter)
    save_failures: Counter = field(default_factory=Counter)

    def summary(self) -> dict[str, object]:
        statuses = self.origin + self.front
        return {
            "requests": statuses.total(),
            "statuses": dict(sorted(statuses.items())),
            "public_server_errors": self.public_server_errors,
            "bare_500s": self.bare_500s,
            "origin_pages": {
                "requests": self.origin.total(),
                "statuses": dict(sorted(self.origin.items())),
                "seconds": {
                    "median": round(percentile(self.origin_seconds, 0.5), 3),
                    "p99": round(percentile(self.origin_seconds, 0.99), 3),
                    "max": round(max(self.origin_seconds, default=0.0), 3),
                },
            },
            "front_cache_pages": {
                "requests": self.front.total(),
                "statuses": dict(sorted(self.front.items())),
                "served_from_copies": self.front_copies,
            },
            "editor_saves": {
                "attempted": self.saves["attempted"],
                "saved": self.saves["saved"],
                "failed": self.saves["attempted"] - self.saves["saved"],
                "failures": dict(self.save_failures),
            },
        }


class FormReader(HTMLParser):
    """Read what a browser would post from the form with id `form_id`."""

    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self.select: tuple[str, bool] | None = None
        self.options: list[tuple[str, bool]] = []
        self.textarea: str | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside or "disabled" in a:
            return
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in {"submit", "button", "image", "file", "reset"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in a:
                    self.fields.append((name, a.get("value") or "on"))
                return
            self.fields.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self.select, self.options = (name, "multiple" in a), []
        elif tag == "option" and self.select:
            self.options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea" and name:
            self.textarea, self.text = name, []

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select:
            name, multiple = self.select
            chosen = [value for value, selected in self.options if selected]
            if not chosen and not multiple and self.options:
                chosen = [self.options[0][0]]
            self.fields += [(name, value) for value in chosen]
            self.select = None
        elif tag == "textarea" and self.textarea:
            # Browsers drop the newline that follows <textarea>.
            text = "".join(self.text)
            self.fields.append((self.textarea, text.removeprefix("\n")))
            self.textarea = None

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.text.append(data)


def read_form(html: str, form_id: str) -> dict[str, list[str]]:
    reader = FormReader(form_id)
    reader.feed(html)
    data: dict[str, list[str]] = {}
    for name, value in reader.fields:
        data.setdefault(name, []).append(value)
    return data


class Drills:
    """The stack, its load, and the parts to take away."""

    def __init__(self, log=None) -> None:
        self.log = log or (lambda message: print(message, file=sys.stderr, flush=True))
        self.database = PostgresServer(free_port())
        self.stack = Stack(
            port=free_port(),
            origin_ports=[free_port(), free_port()],
            redis_port=free_port(),
            database_url=self.database.url("newsroom"),
            state_dir=STATE_DIR,
            log=self.log,
        )
        self.password = secrets.token_urlsafe(16)
        self.pages: list[str] = []
        self.login_url = ""
        self.story: str | None = None  # The address of its admin form.
        self.lock = threading.Lock()
        self.tally = Tally()
        self.stopping = threading.Event()
        self.threads: list[threading.Thread] = []

    # --- Setting up ---------------------------------------------------------------------

    def start(self) -> None:
        self.log(f"PostgreSQL of the drill's own on 127.0.0.1:{self.database.port}")
        self.database.start()
        self.database.create_database("newsroom")
        self.stack.start()
        self.stack.run(
            "editor",
            [*MANAGE, "createsuperuser", "--noinput", "--username", EDITOR, "--email", ""],
            extra_env={"DJANGO_SUPERUSER_PASSWORD": self.password},
        )
        output = self.stack.manage_output([*MANAGE, "shell", "--no-imports", "-c", PAGES_SCRIPT])
        found = json.loads(output.strip().splitlines()[-1])
        self.pages, self.login_url, self.story = found["pages"], found["login"], found["story"]
        if not self.story:
            raise StackError("the demo newsroom has no published story to save")

    def stop(self) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=REQUEST_TIMEOUT)
        try:
            self.stack.stop()
        finally:
            self.database.remove()

    # --- Load -----------------------------------------------------------------------------

    def start_load(self) -> None:
        origins = [f"http://{host}:{port}" for host, port in self.stack.origins]
        for number in range(READERS_PER_TARGET):
            self.spawn(self.read, origins[number % len(origins)], False)
            self.spawn(self.read, self.stack.varnish.url, True)
        self.spawn(self.edit)

    def spawn(self, target, *args) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        thread.start()
        self.threads.append(thread)

    def read(self, base_url: str, front: bool) -> None:
        with httpx.Client(base_url=base_url, timeout=REQUEST_TIMEOUT) as client:
            number = 0
            while not self.stopping.is_set():
                path = self.pages[number % len(self.pages)]
                number += 1
                start = time.monotonic()
                try:
                    response = client.get(path)
                except httpx.HTTPError:
                    response = None
                self.record(response, time.monotonic() - start, front=front)
                time.sleep(READER_PAUSE)

    def record(self, response: httpx.Response | None, seconds: float, front: bool) -> None:
        status = str(response.status_code) if response is not None else "no answer"
        with self.lock:
            tally = self.tally
            if front:
                tally.front[status] += 1
                if response is not None and response.headers.get("X-Cache") == "HIT":
                    tally.front_copies += 1
            else:
                tally.origin[status] += 1
                tally.origin_seconds.append(seconds)
            if response is None or response.status_code >= 500:
                tally.public_server_errors += 1
            if bare_error(response):
                tally.bare_500s += 1

    def edit(self) -> None:
        """Save the story through the admin about once a second, as an editor would."""
        with httpx.Client(base_url=self.stack.varnish.url, timeout=REQUEST_TIMEOUT) as client:
            while not self.stopping.is_set():
                tally = self.tally
                try:
                    self.save_once(client, tally)
                except httpx.HTTPError as error:
                    with self.lock:
                        tally.saves["attempted"] += 1
                        tally.save_failures[type(error).__name__] += 1
                time.sleep(EDITOR_PAUSE)

    def log_in(self, client: httpx.Client) -> bool:
        page = client.get(self.login_url)
        if page.status_code != 200:
            return False
        data = read_form(page.text, "login-form")
        data |= {"username": [EDITOR], "password": [self.password]}
        return client.post(self.login_url, data=data).status_code == 302

    def save_once(self, client: httpx.Client, tally: Tally) -> None:
        """Open the story's form and save it; count the save in `tally` (the drill's)."""
        url = self.story
        form = client.get(url)
        if form.status_code == 302 and self.log_in(client):
            form = client.get(url)
        if form.status_code == 200:
            data = read_form(form.text, "article_form")
            data["standfirst"] = [f"Standfirst saved at {time.strftime('%H:%M:%S')}."]
            answer = client.post(url, data=data)
        else:
            answer = form
        with self.lock:
            tally.saves["attempted"] += 1
            # The admin answers a save with a redirect; the form again means it failed.
            if answer.status_code == 302 and answer is not form:
                tally.saves["saved"] += 1
            else:
                step = "form" if answer is form else "save"
                friendly = " with Retry-After" if "Retry-After" in answer.headers else ""
                tally.save_failures[f"{step} {answer.status_code}{friendly}"] += 1

    # --- Drills ---------------------------------------------------------------------------

    def begin(self) -> None:
        with self.lock:
            self.tally = Tally()

    def end(self) -> dict[str, object]:
        with self.lock:
            tally, self.tally = self.tally, Tally()
        return tally.summary()

    def wait_until_healthy(self, path: str, timeout: float = 120.0) -> float:
        """Wait until every origin answers `path` 200 a few times running; return seconds."""
        start = time.monotonic()
        needed = 4  # Answers from the workers of an origin, not only one of them.
        with httpx.Client(timeout=5) as client:
            for host, port in self.stack.origins:
                running = 0
                while running < needed:
                    if time.monotonic() - start > timeout:
                        raise StackError(f"127.0.0.1:{port}{path} not healthy after {timeout} s")
                    try:
                        ok = client.get(f"http://{host}:{port}{path}").status_code == 200
                    except httpx.HTTPError:
                        ok = False
                    running = running + 1 if ok else 0
                    time.sleep(0.05)
        return round(time.monotonic() - start, 2)

    def redis_process(self):
        for name, process in reversed(self.stack.processes):
            if name == "redis":
                return process
        raise StackError("the stack runs no Redis")

    def redis_stopped(self, seconds: float) -> dict[str, object]:
        process = self.redis_process()
        self.log(f"Redis stopped for {seconds:g} s")
        self.begin()
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        time.sleep(seconds)
        self.stack.spawn("redis", list(process.args))
        wait_for_port(self.stack.redis_port)
        recovered = self.wait_until_healthy("/healthz")
        return {"down_seconds": seconds, **self.end(), "recovered_after_seconds": recovered}

    def redis_paused(self, seconds: float) -> dict[str, object]:
        process = self.redis_process()
        self.log(f"Redis paused for {seconds:g} s")
        self.begin()
        os.killpg(process.pid, signal.SIGSTOP)
        try:
            time.sleep(seconds)
        finally:
            os.killpg(process.pid, signal.SIGCONT)
        recovered = self.wait_until_healthy("/healthz")
        return {"paused_seconds": seconds, **self.end(), "recovered_after_seconds": recovered}

    def postgres_restarted(self, seconds: float) -> dict[str, object]:
        self.log(f"PostgreSQL stopped for {seconds:g} s")
        self.begin()
        self.database.stop()
        time.sleep(seconds)
        self.database.start()
        recovered = self.wait_until_healthy("/")
        return {"down_seconds": seconds, **self.end(), "recovered_after_seconds": recovered}


def main(argv: list[str] | None = None) -> int:
    """Run the drills named on the command line (default: all) and print the figures."""
    parser = argparse.ArgumentParser(prog="python -m deploy.drills", description=__doc__)
    parser.add_argument("parts", nargs="*", metavar="PART", help="redis, postgres (default: both)")
    parser.add_argument("--steady", type=float, default=5.0, help="seconds of load first")
    arguments = parser.parse_args(argv)
    parts = arguments.parts or list(PARTS)
    if unknown := set(parts) - set(PARTS):
        parser.error(f"unknown part {sorted(unknown)[0]!r}; the parts are: {', '.join(PARTS)}")

    def interrupted(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    drills = Drills()
    figures: dict[str, object] = {}
    try:
        drills.start()
        drills.start_load()
        drills.begin()
        time.sleep(arguments.steady)
        figures["steady"] = {"seconds": arguments.steady, **drills.end()}
        if "redis" in parts:
            figures["redis_stopped"] = drills.redis_stopped(20)
            figures["redis_paused"] = drills.redis_paused(10)
        if "postgres" in parts:
            figures["postgres_restarted"] = drills.postgres_restarted(10)
    except StackError as error:
        print(f"drills: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        drills.stop()
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
