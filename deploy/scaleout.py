"""Drills on the scale-out stack: what readers and editors get when a part goes or slows.

Each drill runs against a started `deploy.stack.Stack` with two origins, a streaming
replica and photos in object storage (`scale_out_stack()`), takes one part away or
slows it, gives it back, and returns what it saw as a dict of figures. The tests
(tests/deploy/test_scaleout.py) assert on them; the benchmark (bench/scaleout.py)
reports them beside its throughput figures.

    python -m deploy.scaleout   # start such a stack, run every drill, print the figures
"""

from __future__ import annotations

import io
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from deploy.drills import read_form
from deploy.servers import wait_for_port
from deploy.stack import MANAGE, Stack
from deploy.varnish import SEARCH_PATH, free_port

EDITOR = "drill-editor"
# Replicas are left out once they lag by more than this (DATABASE_REPLICA_MAX_LAG): short,
# so that the lag drill is short.
MAX_LAG = 3
WRK_LUA = Path(__file__).resolve().parent.parent / "bench" / "wrk_report.lua"
# Every request a different address, so that Varnish passes each to an origin: each wrk
# thread (a Lua state of its own) seeds its own numbers and prefixes them with its own
# name. The answers Varnish gave from a copy are counted (wrk_report.lua adds them up).
MISSES_LUA = """
local n, name = 0, "0"
hits, misses = 0, 0
function init(args)
  name = tostring({}):match("0x(%x+)") or "0"
  math.randomseed(os.time() + tonumber(name, 16) % 1000003)
end
request = function()
  n = n + 1
  return wrk.format("GET", "/?miss=" .. name .. "-" .. math.random(1, 1000000000) .. "-" .. n)
end
function response(status, headers, body)
  local cache = headers["X-Cache"] or headers["x-cache"] or ""
  if cache:sub(1, 3) == "HIT" then hits = hits + 1 else misses = misses + 1 end
end
"""


def scale_out_stack(state_dir: Path, log: Callable[[str], None] | None = None, **kw) -> Stack:
    """Return, not started, two origins, a primary and a replica, and S3, on free ports."""
    arguments = {
        "port": free_port(),
        "origin_ports": [free_port(), free_port()],
        "redis_port": free_port(),
        "replica_ports": [free_port()],
        "primary_port": free_port(),
        "s3_port": free_port(),
        # A primary of its own, whatever DATABASE_URL the caller runs with.
        "database_url": "",
        "state_dir": state_dir,
        "log": log or (lambda message: None),
        "extra_env": {"DATABASE_REPLICA_MAX_LAG": str(MAX_LAG)},
    }
    return Stack(**(arguments | kw))


class Newsroom:
    """The started `stack`, an editor account on it, and the steps drills are made of."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.password = secrets.token_urlsafe(16)
        stack.run(
            "editor",
            [*MANAGE, "createsuperuser", "--noinput", "--username", EDITOR, "--email", ""],
            extra_env={"DJANGO_SUPERUSER_PASSWORD": self.password},
        )
        self.front = httpx.Client(base_url=stack.varnish.url, timeout=30)

    def origin(self, number: int) -> str:
        host, port = self.stack.origins[number]
        return f"http://{host}:{port}"

    def django(self, script: str) -> dict:
        """Run `script` in a Django shell of the stack (on the primary); return its JSON line."""
        output = self.stack.manage_output([*MANAGE, "shell", "--no-imports", "-c", script])
        return json.loads(output.strip().splitlines()[-1])

    def new_draft(self, headline: str, lead_image: int | None = None) -> dict:
        """Create a draft story; return its `pk`."""
        return self.django(
            f"""
import json
from django.contrib.auth import get_user_model
from articles import workflow
from articles.models import Section
editor = get_user_model().objects.get(username={EDITOR!r})
story = workflow.create_draft(
    editor,
    headline={headline!r},
    body="<p>Filed for the drill.</p>",
    section=Section.objects.order_by("pk").first(),
    lead_image_id={lead_image!r},
)
print(json.dumps({{"pk": story.pk}}))
"""
        )

    def story_url(self, pk: int) -> str:
        script = f"""
import json
from articles.models import Article
print(json.dumps({{"url": Article.objects.get(pk={pk}).get_absolute_url()}}))
"""
        return self.django(script)["url"]

    @contextmanager
    def editor(self, base_url: str) -> Iterator[httpx.Client]:
        """A browser of the editor's, logged in at `base_url` (an origin, or Varnish)."""
        with httpx.Client(base_url=base_url, timeout=30) as client:
            login = f"/{self.stack.admin_path}login/"
            page = client.get(login)
            data = read_form(page.text, "login-form")
            data |= {"username": [EDITOR], "password": [self.password]}
            answer = client.post(login, data=data)
            if answer.status_code != 302:
                raise RuntimeError(f"the editor could not log in at {base_url}: {answer}")
            yield client

    def run_action(self, client: httpx.Client, action: str, pk: int) -> None:
        """Run a bulk action of the stories' list on the story `pk`, as the editor would."""
        url = f"/{self.stack.admin_path}articles/article/"
        client.get(url)
        data = {
            "action": action,
            "_selected_action": str(pk),
            "csrfmiddlewaretoken": client.cookies["csrftoken"],
        }
        answer = client.post(url, data=data)
        if answer.status_code != 302:
            raise RuntimeError(f"{action} of story {pk} answered {answer.status_code}")

    def process(self, name: str) -> subprocess.Popen[bytes]:
        return next(process for named, process in self.stack.processes if named == name)

    def kill(self, name: str) -> list[str]:
        """Kill the stack's process `name` (its whole group) at once; return its command."""
        process = self.process(name)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        self.stack.processes.remove((name, process))
        return list(process.args)

    def health(self, number: int = 0) -> httpx.Response:
        return httpx.get(self.origin(number) + "/healthz", timeout=10)

    def wrk_misses(self, url: str, seconds: float, connections: int = 8) -> dict[str, int]:
        """Load `url` with wrk, every request a front-cache miss; return wrk's totals."""
        with tempfile.TemporaryDirectory() as folder:
            script = Path(folder) / "misses.lua"
            script.write_text(WRK_LUA.read_text() + MISSES_LUA)
            command = [
                shutil.which("wrk", path=SEARCH_PATH) or "wrk",
                "-t2", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "10s",
                "-s", str(script), url,
            ]  # fmt: skip
            output = subprocess.run(  # noqa: S603
                command, capture_output=True, text=True, check=True
            ).stdout
        totals = json.loads(output.strip().splitlines()[-1])
        return {
            "requests": totals["requests"],
            "rps": round(totals["requests"] / (totals["duration_us"] / 1e6), 1),
            "failed": totals["non_2xx_3xx"] + totals["errors"],
            # Answers from a front-cache copy (none when asking an origin directly).
            "hits": totals["hits"],
            "p50_ms": round(totals["p50_us"] / 1000, 1),
            "p99_ms": round(totals["p99_us"] / 1000, 1),
        }

    # --- Drills ---------------------------------------------------------------------------

    def publish_across_origins(self) -> dict[str, object]:
        """Publish on origin 1; time until the home page through Varnish shows it."""
        headline = f"Published on origin one {secrets.token_hex(3)}"
        story = self.new_draft(headline)
        self.front.get("/")
        cached = self.front.get("/").headers.get("X-Cache") == "HIT"
        with self.editor(self.origin(0)) as editor:
            self.run_action(editor, "publish_selected", story["pk"])
        published = time.monotonic()
        while headline not in self.front.get("/").text:
            if time.monotonic() - published > 10:
                break
            time.sleep(0.02)
        seen = time.monotonic() - published
        on_origin_2 = headline in httpx.get(self.origin(1) + "/", timeout=10).text
        return {
            "home_was_cached": cached,
            "seconds_until_shown": round(seen, 3),
            "shown_by_origin_2": on_origin_2,
        }

    def replica_lag(self, delay: float = 30.0) -> dict[str, object]:
        """With the replica `delay` s behind, publish and unpublish a story; count stale pages.

        Readers' home page and story page through Varnish are read every 0.1 s: a story
        missing once it was shown, or shown once the editor's unpublish had answered,
        is a stale answer. The editor's own pages must show each save at once.
        """
        replica = self.stack.replicas[0]
        headline = f"Published while the replica lags {secrets.token_hex(3)}"
        story = self.new_draft(headline)
        self.front.get("/")
        figures: dict[str, object] = {"apply_delay_seconds": delay, "max_lag_seconds": MAX_LAG}
        stale = errors = reads = 0
        replica.set_apply_delay(delay)
        try:
            with self.editor(self.stack.varnish.url) as editor:
                self.run_action(editor, "publish_selected", story["pk"])
                published = time.monotonic()
                address = self.story_url(story["pk"])
                figures["editor_saw_own_publish"] = editor.get(address).status_code == 200
                seen = None
                while time.monotonic() - published < MAX_LAG + 6:
                    page = self.front.get("/")
                    reads += 1
                    errors += page.status_code >= 500
                    if headline in page.text:
                        seen = seen if seen is not None else time.monotonic() - published
                    elif seen is not None:
                        stale += 1
                    time.sleep(0.1)
                figures["seconds_until_shown"] = seen and round(seen, 2)
                figures["story_page_after_publish"] = self.front.get(address).status_code

                self.run_action(editor, "unpublish_selected", story["pk"])
                unpublished = time.monotonic()
                figures["editor_saw_own_unpublish"] = editor.get(address).status_code == 404
                while time.monotonic() - unpublished < MAX_LAG + 4:
                    home, page = self.front.get("/"), self.front.get(address)
                    reads += 2
                    errors += (home.status_code >= 500) + (page.status_code >= 500)
                    stale += (headline in home.text) + (page.status_code == 200)
                    time.sleep(0.1)
        finally:
            replica.set_apply_delay(0)
        return figures | {"reads": reads, "stale_answers": stale, "server_errors": errors}

    def replica_stopped(self) -> dict[str, object]:
        """Stop the replica; read pages rendered afresh from both origins; start it again."""
        replica = self.stack.replicas[0]
        replica.stop()
        statuses: dict[int, int] = {}
        try:
            for number in range(20):
                origin = self.origin(number % 2)
                for path in [f"/?replica-stopped={number}", f"/search/?q=drill{number}"]:
                    status = httpx.get(origin + path, timeout=10).status_code
                    statuses[status] = statuses.get(status, 0) + 1
            health = self.health()
        finally:
            replica.start()
        return {"statuses": statuses, "healthz": health.status_code, "report": health.json()}

    def origin_stopped(self, during: float = 3.0, after: float = 5.0) -> dict[str, object]:
        """Kill origin 1 under wrk through Varnish (misses only); count failed requests.

        `during`: the seconds in which Varnish's probe finds origin 1 sick (reads cut
        off or refused are asked of origin 2); `after`: once it is marked sick.
        """
        command = self.kill("origin1")
        try:
            first = self.wrk_misses(self.stack.varnish.url + "/", during)
            then = self.wrk_misses(self.stack.varnish.url + "/", after)
        finally:
            self.stack.spawn("origin1", command)
            self.stack.wait_for_health("origin1", self.stack.origin_ports[0])
        return {"while_marked_sick": first, "once_sick": then}

    def redis_stopped(self) -> dict[str, object]:
        """Kill Redis; read pages from both origins and publish a story; start it again."""
        command = self.kill("redis")
        try:
            statuses: dict[int, int] = {}
            for number in range(10):
                status = httpx.get(f"{self.origin(number % 2)}/?redis-stopped={number}").status_code
                statuses[status] = statuses.get(status, 0) + 1
            health = self.health()
            headline = f"Saved without Redis {secrets.token_hex(3)}"
            story = self.new_draft(headline)
            with self.editor(self.origin(1)) as editor:
                self.run_action(editor, "publish_selected", story["pk"])
                page = editor.get(self.story_url(story["pk"]))
        finally:
            self.stack.spawn("redis", command)
            wait_for_port(self.stack.redis_port)
        return {
            "statuses": statuses,
            "healthz": health.status_code,
            "down": health.json().get("down"),
            "published_and_shown": page.status_code == 200 and headline in page.text,
        }

    def photo_lifecycle(self, folder: Path) -> dict[str, object]:
        """Store a photo with camera and location data, serve its copies, delete it all.

        Returns the copies' addresses, what fetching them gave before and after the
        deletion, whether any copy carried EXIF data and whether the page named the original.
        """
        from PIL import Image as PILImage

        picture = PILImage.new("RGB", (1600, 1000), "teal")
        exif = PILImage.Exif()
        exif[0x010F] = "DrillCam"  # Make
        exif[0x8825] = {2: (50.0, 27.0, 0.0), 4: (30.0, 31.0, 0.0)}  # GPS
        path = folder / "drill.jpg"
        picture.save(path, "JPEG", exif=exif)
        image = self.django(
            f"""
import json
from django.core.files import File
from images.models import Image
with open({str(path)!r}, "rb") as file:
    image = Image(alt_text="A teal square", credit="Drill")
    image.file.save("drill.jpg", File(file))
print(json.dumps({{"pk": image.pk, "original": image.file.url}}))
"""
        )
        status_script = f"""
import json
from images.models import Image
print(json.dumps({{"status": Image.objects.get(pk={image["pk"]}).renditions_status}}))
"""
        started = time.monotonic()
        while (status := self.django(status_script)["status"]) == "pending":
            if time.monotonic() - started > 60:
                break
            time.sleep(0.3)
        figures: dict[str, object] = {"renditions": status}
        story = self.new_draft(f"A photo in object storage {secrets.token_hex(3)}", image["pk"])
        with self.editor(self.stack.varnish.url) as editor:
            self.run_action(editor, "publish_selected", story["pk"])
            address = self.story_url(story["pk"])
            page = self.front.get(address)
            media = self.stack.env["MEDIA_URL"]
            copies = sorted(set(re.findall(re.escape(media) + r"[^\s\"'<>,]+\.jpg", page.text)))
            figures |= {
                "page": page.status_code,
                "copies": copies,
                "original_named_on_page": image["original"] in page.text
                or image["original"].split("/")[-1] in page.text,
                "original": httpx.get(image["original"], timeout=10).status_code,
            }
            served, with_exif = {}, []
            for copy in copies:
                answer = httpx.get(copy, timeout=10)
                served[copy] = (answer.status_code, answer.headers.get("Content-Type"))
                if (
                    answer.status_code == 200
                    and PILImage.open(io.BytesIO(answer.content)).getexif()
                ):
                    with_exif.append(copy)
            figures |= {"served": served, "copies_with_exif": with_exif}
            self.run_action(editor, "delete_selected_recoverably", story["pk"])
        self.django(
            f"""
import json
from images.models import Image
Image.objects.get(pk={image["pk"]}).delete()
print(json.dumps({{}}))
"""
        )
        left = {
            address: httpx.get(address, timeout=10).status_code
            for address in [*copies, image["original"]]
        }
        figures |= {
            "after_deletion": left,
            "story_page_after_deletion": self.front.get(address).status_code,
        }
        return figures


def main() -> int:
    """Start a scale-out stack, run every drill, print the figures as JSON."""
    with tempfile.TemporaryDirectory() as folder:
        stack = scale_out_stack(Path(folder) / "stack", log=lambda m: print(m, file=sys.stderr))
        with stack:
            newsroom = Newsroom(stack)
            figures = {
                "publish_across_origins": newsroom.publish_across_origins(),
                "replica_lag": newsroom.replica_lag(),
                "replica_stopped": newsroom.replica_stopped(),
                "origin_stopped": newsroom.origin_stopped(),
                "redis_stopped": newsroom.redis_stopped(),
                "photo_lifecycle": newsroom.photo_lifecycle(Path(folder)),
            }
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
