"""`make attacks`: attack a production-mode stack as an outsider and a staff member would.

Starts the stack (deploy/stack.py: Varnish, two gunicorn origins with DEBUG off, Redis,
the task worker) on ports and a PostgreSQL server of its own, adds a few accounts and an
unpublished story, then tries each attack below and prints JSON: every attack, whether
it held, and what was seen. The exit status is 1 if any attack got through.

    python -m deploy.attacks            # or: make attacks

The attacks come from Django's deployment checklist and the security advisories of
Wagtail, WordPress and Ghost. The outages (Redis, PostgreSQL) are drilled by
`python -m deploy.drills`; the wire's slow and flooding feeds by tests/wire/.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx

from deploy.servers import PostgresServer
from deploy.stack import BASE_DIR, MANAGE, Stack, StackError
from deploy.varnish import free_port

# The attacker's address: not the stack's own (127.0.0.1, which Varnish and the
# origins trust as their proxies), as an outsider's would not be.
ATTACKER = "127.0.0.2"
PASSWORD = "Attack-drill-password-7c1f"  # noqa: S105  # a throwaway stack's accounts
SECRET = "Secret draft about the grain corridor talks"  # noqa: S105  # a headline

SETUP = """
import json
from django.contrib.auth.models import Group, User
from articles import workflow
from sources.models import Source
users = {}
for name, group in [("reporter", "Reporters"), ("editor", "Editors"),
                    ("moderator", "Topic moderators"), ("victim", "Editors")]:
    user, _ = User.objects.get_or_create(
        username=f"drill-{name}", defaults={"is_staff": True, "email": f"{name}@example.org"})
    user.set_password(%(password)r); user.save()
    user.groups.add(Group.objects.get(name=group))
    users[name] = user.pk
draft = workflow.create_draft(User.objects.get(pk=users["editor"]), headline=%(secret)r,
                              body="<p>Not for readers yet.</p>", source=Source.objects.first(),
                              authors=[users["editor"]])
print(json.dumps({"draft": draft.pk, "users": users}))
"""


@dataclass
class Result:
    attack: str
    held: bool
    seen: str


class Drill:
    """The stack under attack, the attacker's clients, and the results so far."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.site = stack.varnish.url
        self.origin = f"http://127.0.0.1:{stack.origin_ports[0]}"
        self.admin = "/" + stack.admin_path.strip("/") + "/"
        self.results: list[Result] = []
        self.sessions: dict[str, httpx.Client] = {}
        self.data: dict = {}

    def manage(self, *args: str) -> str:
        result = subprocess.run(  # noqa: S603
            [*MANAGE, *args], cwd=BASE_DIR, env=self.stack.env, capture_output=True, text=True
        )
        if result.returncode != 0:
            raise StackError(result.stderr)
        return result.stdout

    def client(self, base: str | None = None) -> httpx.Client:
        """A client of the public entrance (Varnish), from the attacker's own address."""
        return httpx.Client(
            base_url=base or self.site,
            timeout=30,
            follow_redirects=False,
            transport=httpx.HTTPTransport(local_address=ATTACKER),
        )

    def log_in(
        self, who: str, password: str = PASSWORD, next: str | None = None, **headers: str
    ) -> httpx.Response:
        """Log in through the admin's form as a browser would; return the form's answer."""
        client = self.sessions.setdefault(who, self.client())
        form = client.get(f"{self.admin}login/", headers=headers)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
        return client.post(
            f"{self.admin}login/",
            data={
                "username": f"drill-{who}",
                "password": password,
                "csrfmiddlewaretoken": token.group(1) if token else "",
                "next": next or self.admin,
            },
            headers=headers,
        )

    def check(self, attack: str, test: Callable[[], tuple[bool, str]]) -> None:
        try:
            held, seen = test()
        except Exception as error:  # An attack that breaks the drill did not get through.
            held, seen = False, f"drill error: {error!r}"
        self.results.append(Result(attack, held, seen))
        print(f"{'held' if held else 'GOT THROUGH'}: {attack} ({seen})", file=sys.stderr)


def connect(port: int) -> socket.socket:
    """A raw connection to 127.0.0.1:`port` from the attacker's address."""
    return socket.create_connection(("127.0.0.1", port), timeout=10, source_address=(ATTACKER, 0))


def status(response: httpx.Response) -> str:
    path = response.request.url.raw_path.decode()[:80]
    return f"{response.request.method} {path} → {response.status_code}"


def run(drill: Drill) -> None:
    """Every attack, in order (the password guessing last: it locks the address out)."""
    site, admin = drill.client(), drill.admin
    draft = drill.data["draft"]

    # --- What anyone can send to the public site -------------------------------------------
    def no_server_error(path: str, **headers: str) -> tuple[bool, str]:
        response = site.get(path, headers=headers)
        return response.status_code < 500, status(response)

    drill.check(
        "Unknown page shows no debug page",
        lambda: (
            (r := site.get("/no-such-page/")).status_code == 404
            and "Traceback" not in r.text
            and "settings" not in r.text.lower(),
            status(r),
        ),
    )
    drill.check(
        "Forged Host header is refused",
        lambda: (
            (r := site.get("/", headers={"Host": "evil.example"})).status_code == 400,
            status(r),
        ),
    )
    drill.check(
        "Security headers on pages",
        lambda: (
            (r := site.get("/")).headers.get("X-Content-Type-Options") == "nosniff"
            and r.headers.get("X-Frame-Options") == "DENY"
            and "Referrer-Policy" in r.headers,
            ", ".join(f"{k}: {r.headers.get(k)}" for k in ("X-Frame-Options", "Referrer-Policy")),
        ),
    )
    for path in ("/", f"{admin}login/"):
        drill.check(
            f"Content-Security-Policy on {path}",
            lambda path=path: (
                all(
                    d in (csp := site.get(path).headers.get("Content-Security-Policy", ""))
                    for d in ("object-src 'none'", "frame-ancestors 'none'")
                ),
                csp[:120] or "none",
            ),
        )
    drill.check(
        "Script in the search box is escaped",
        lambda: (
            "<script>alert(1)</script>"
            not in (r := site.get("/search/", params={"q": "<script>alert(1)</script>"})).text,
            status(r),
        ),
    )
    drill.check("SQL in the search box", lambda: no_server_error("/search/?q=%27%20OR%201%3D1--"))
    drill.check("NUL byte in the search box", lambda: no_server_error("/search/?q=a%00b"))
    drill.check("Page number overflow", lambda: no_server_error("/?page=99999999999999999999"))
    drill.check(
        "API date overflow (updated_since=0001-01-01)",
        lambda: no_server_error("/api/v1/articles/?updated_since=0001-01-01"),
    )
    drill.check(
        "API date at the far end (9999-12-31T23:59:59-14:00)",
        lambda: no_server_error("/api/v1/articles/?updated_since=9999-12-31T23:59:59-14:00"),
    )
    drill.check("API cursor garbage", lambda: no_server_error("/api/v1/articles/?cursor=%ff%00"))
    drill.check(
        "A guessed partner key opens nothing",
        lambda: (
            (
                r := site.get(
                    "/api/v1/articles/", headers={"Authorization": f"Bearer nrp_{'A' * 43}"}
                )
            ).status_code
            == 401
            and "items" not in r.text,
            status(r),
        ),
    )
    drill.check(
        "Garbage in the Authorization header",
        lambda: no_server_error("/api/v1/articles/", Authorization="Bearer nrp_" + "!';" * 2000),
    )
    drill.check("Invalid UTF-8 in the query string", lambda: no_server_error("/search/?q=%ff%fe"))

    # --- Unpublished content ----------------------------------------------------------------
    def absent(path: str) -> tuple[bool, str]:
        response = site.get(path)
        return SECRET not in response.text, status(response)

    drill.check(
        "Draft by its short URL",
        lambda: ((r := site.get(f"/articles/{draft}/")).status_code == 404, status(r)),
    )
    drill.check(
        "Draft through the API",
        lambda: ((r := site.get(f"/api/v1/articles/{draft}")).status_code == 404, status(r)),
    )
    for path in ("/feed/", "/feed/atom/", "/sitemap.xml", "/search/?q=grain+corridor", "/"):
        drill.check(f"Draft absent from {path}", lambda path=path: absent(path))
    drill.check(
        "Preview with a made-up token",
        lambda: (
            (r := site.get("/preview/not-a-real-token/")).status_code in {403, 404},
            status(r),
        ),
    )

    # --- Sessions and forms -----------------------------------------------------------------
    drill.check(
        "Admin login without the CSRF token",
        lambda: (
            (
                r := drill.client().post(
                    f"{admin}login/", data={"username": "drill-editor", "password": PASSWORD}
                )
            ).status_code
            == 403,
            status(r),
        ),
    )

    def session_age() -> tuple[bool, str]:
        response = drill.log_in("editor")
        [cookie] = [c for c in response.headers.get_list("set-cookie") if "sessionid=" in c]
        if "max-age" not in cookie.lower() and "expires" not in cookie.lower():
            return True, "the session cookie ends with the browser"
        age = int(re.search(r"Max-Age=(\d+)", cookie).group(1))
        return 0 < age <= 12 * 3600, f"session cookie Max-Age {age} s"

    drill.check("Staff session lasts a working day at most", session_age)
    drill.check(
        "Login's next= cannot send the user off-site",
        lambda: (
            "evil.example"
            not in (r := drill.log_in("moderator", next="https://evil.example/")).headers.get(
                "location", ""
            ),
            status(r) + " " + r.headers.get("location", ""),
        ),
    )

    # --- Staff reading beyond their role ----------------------------------------------------
    drill.log_in("reporter")
    drill.log_in("moderator")
    article = f"{admin}articles/article/{draft}"
    for who in ("reporter", "moderator"):
        for path in (f"{article}/change/", f"{article}/history/", f"{article}/revisions/"):
            drill.check(
                f"{who.title()} reads another's draft at {path}",
                lambda who=who, path=path: (
                    (r := drill.sessions[who].get(path)).status_code in {302, 403, 404}
                    and SECRET not in r.text,
                    status(r),
                ),
            )
    drill.check(
        "Reporter lists accounts with e-mail and password hashes",
        lambda: (
            "@example.org" not in (r := drill.sessions["reporter"].get(f"{admin}auth/user/")).text
            and "pbkdf2" not in r.text,
            status(r),
        ),
    )
    drill.check(
        "NUL byte in an admin list filter",
        lambda: (
            (
                r := drill.sessions["editor"].get(f"{admin}topics/topic/", params={"q": "a\x00b"})
            ).status_code
            < 500,
            status(r),
        ),
    )
    drill.check(
        "Out-of-range time-zone offset in an admin filter",
        lambda: (
            (
                r := drill.sessions["editor"].get(
                    f"{admin}articles/article/",
                    params={"publish_at__gte": "2026-01-01T00:00:00+99:00"},
                )
            ).status_code
            < 500,
            status(r),
        ),
    )

    # --- Transport ----------------------------------------------------------------------------
    def huge_anonymous_upload() -> tuple[bool, str]:
        with connect(drill.stack.port) as sock:
            sock.sendall(
                f"POST {admin}login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                "Content-Length: 314572800\r\nContent-Type: multipart/form-data; boundary=x\r\n"
                "Connection: close\r\n\r\n".encode()
            )
            answer = sock.recv(200).decode(errors="replace")
        return answer.startswith("HTTP/1.1 413"), answer.splitlines()[0] if answer else "nothing"

    def slow_clients() -> tuple[bool, str]:
        port = drill.stack.origin_ports[0]
        slow = [connect(port) for _ in range(3)]
        for sock in slow:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        started = time.monotonic()
        try:
            answer = drill.client(drill.origin).get("/healthz", timeout=10)
        finally:
            for sock in slow:
                sock.close()
        waited = time.monotonic() - started
        return waited < 2, f"/healthz answered {answer.status_code} in {waited:.2f} s"

    drill.check("300 MB anonymous upload", huge_anonymous_upload)
    drill.check("Three slow clients against one origin", slow_clients)

    def forged_https() -> tuple[bool, str]:
        # Were the header believed, the request would count as https, and Django's CSRF
        # check would then insist on a Referer this login form post does not send.
        client = drill.client()
        form = client.get(f"{admin}login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
        response = client.post(
            f"{admin}login/",
            data={"username": "nobody", "password": "wrong", "csrfmiddlewaretoken": token},
            headers={"X-Forwarded-Proto": "https"},
        )
        return response.status_code != 403, status(response)

    drill.check("Forged X-Forwarded-Proto is not believed", forged_https)

    # --- Password guessing (last: it locks the drill's own address out) ----------------------
    def guessing(who: str, **headers: str) -> tuple[bool, str]:
        answers = [drill.log_in(who, "wrong-password", **headers).status_code for _ in range(10)]
        right = drill.log_in(who, **headers)
        logged_in = right.status_code == 302 and "login" not in right.headers.get("location", "")
        return not logged_in, f"10 wrong → {sorted(set(answers))}, then right → {right.status_code}"

    drill.check("Ten wrong passwords, then the right one", lambda: guessing("victim"))

    def dodging() -> tuple[bool, str]:
        # The address is locked out now; a trusted forged header would free it.
        drill.sessions.pop("reporter", None)  # A new browser, not the signed-in one.
        response = drill.log_in("reporter", **{"X-Forwarded-For": "203.0.113.9"})
        location = response.headers.get("location", "")
        logged_in = response.status_code == 302 and "login" not in location
        return not logged_in, status(response)

    drill.check("Rotating X-Forwarded-For to dodge the lockout", dodging)


def main() -> int:
    # A PostgreSQL server of the drill's own: its accounts and story touch no one's data.
    database = PostgresServer(free_port())
    stack = Stack(
        port=free_port(),
        origin_ports=[free_port(), free_port()],
        redis_port=free_port(),
        database_url=database.url("newsroom"),
        state_dir=BASE_DIR / "var" / "attacks",
    )
    drill = Drill(stack)
    try:
        database.start()
        database.create_database("newsroom")
        stack.start()
        output = drill.manage(
            "shell", "--no-imports", "-c", SETUP % {"password": PASSWORD, "secret": SECRET}
        )
        drill.data = json.loads(output.strip().splitlines()[-1])
        run(drill)
    except (StackError, RuntimeError) as error:
        print(f"make attacks: {error}", file=sys.stderr)
        return 2
    finally:
        stack.stop()
        database.remove()
    through = [r for r in drill.results if not r.held]
    report = {
        "attacks": len(drill.results),
        "held": len(drill.results) - len(through),
        "got_through": len(through),
        "results": [asdict(r) for r in drill.results],
    }
    Path(BASE_DIR / "var").mkdir(exist_ok=True)
    (BASE_DIR / "var" / "attacks.json").write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps({k: v for k, v in report.items() if k != "results"}))
    return 1 if through else 0


if __name__ == "__main__":
    sys.exit(main())
