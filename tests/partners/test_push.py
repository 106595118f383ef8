"""Push delivery to partners' endpoints, against real HTTP receivers on loopback."""

from __future__ import annotations

import contextlib
import json
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles import workflow
from articles.models import Article
from newsroom import outbound
from partners import push
from partners.models import Delivery, Endpoint, Partner
from partners.push import SIGNATURE_TOLERANCE, resend, verify
from partners.receivers import plan
from partners.tasks import deliver, deliver_when_public
from tests.factories import ArticleFactory, SectionFactory, SourceFactory
from tests.servers import LocalServer, QuietHandler

pytestmark = pytest.mark.django_db

SCHEMAS = Path(settings.BASE_DIR).parent / "shared" / "schemas" / "ninjs"


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    delay: float = 0.0
    location: str = ""


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def item(self) -> dict:
        return json.loads(self.body)


class Receivers(LocalServer):
    """Partners' endpoints: one server, an answer per path, every POST recorded."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.answers: dict[str, Answer] = {}
        self.received: list[Received] = []
        server = self

        class Handler(QuietHandler):
            def do_POST(self) -> None:
                content = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                server.received.append(Received(self.path, dict(self.headers), content))
                answer = server.answers.get(self.path, Answer(404))
                if answer.delay:
                    time.sleep(answer.delay)
                self.send_response(answer.status)
                if answer.location:
                    self.send_header("Location", answer.location)
                self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(answer.body)

        super().__init__(Handler, host)

    def url(self, path: str) -> str:
        return self.address(path)

    def answer(self, path: str, **kwargs) -> str:
        self.answers[path] = Answer(**kwargs)
        return self.url(path)

    def at(self, path: str) -> list[Received]:
        return [r for r in self.received if r.path == path]


@pytest.fixture(scope="module")
def receivers_process():
    server = Receivers()
    yield server
    server.stop()


@pytest.fixture
def receivers(receivers_process, settings):
    # Loopback and plain http, which production refuses.
    settings.NEWSROOM_PUSH_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    settings.NEWSROOM_PUSH_ALLOW_HTTP = True
    settings.NEWSROOM_PUSH_TIMEOUT = 5.0
    settings.NEWSROOM_PUSH_RETRY_WAITS = [30, 120]
    receivers_process.answers.clear()
    receivers_process.received.clear()
    return receivers_process


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what waits for the commit, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def source():
    return SourceFactory()


def endpoint(url: str, **scope) -> Endpoint:
    sources, sections = scope.pop("sources", []), scope.pop("sections", [])
    partner = Partner.objects.create(name=f"Partner at {url}", **scope)
    partner.sources.set(sources)
    partner.sections.set(sections)
    return Endpoint.objects.create(partner=partner, url=url)


def run_due() -> list[str]:
    """Run the queued push tasks whose time has come, as the task worker does."""
    done = []
    for queued in DBTaskResult.objects.ready().order_by("enqueued_at"):
        task = {deliver.module_path: deliver, deliver_when_public.module_path: deliver_when_public}
        if queued.task_path in task:
            queued.delete()
            done.append(task[queued.task_path].call(*queued.args_kwargs["args"]))
    return done


def publish(committed, article: Article, editor, **kwargs) -> None:
    with committed():
        workflow.publish(article, editor, **kwargs)


def test_a_publish_reaches_every_endpoint_in_scope_signed(receivers, committed, editor, source):
    first = endpoint(receivers.answer("/first"))
    second = endpoint(receivers.answer("/second"), sources=[source], languages=["en"])
    article = ArticleFactory(source=source, headline="Grain deal signed")
    publish(committed, article, editor)
    assert run_due() == ["2 delivered, 0 failed, 0 given up"]
    for path, target in (("/first", first), ("/second", second)):
        (received,) = receivers.at(path)
        assert verify(target.secret, received.body, received.headers["Newsroom-Signature"])
        assert received.headers["Newsroom-Event"] == "published"
        assert received.headers["Content-Type"] == "application/json"
        assert received.headers["User-Agent"].startswith("Newsroom")
        delivery = Delivery.objects.get(endpoint=target)
        assert received.headers["Newsroom-Delivery"] == str(delivery.pk)
        assert received.item["headlines"][0]["value"] == "Grain deal signed"
        assert delivery.status == Delivery.Status.DELIVERED
        assert (delivery.version, delivery.pub_status) == (article.version, "usable")
        assert delivery.response_status == 200 and delivery.attempts == 1


def test_a_signature_fails_with_another_secret_another_body_or_too_old():
    from partners.push import sign

    now = int(time.time())
    signature = sign("secret", b'{"a":1}', now)
    assert verify("secret", b'{"a":1}', signature)
    assert not verify("other", b'{"a":1}', signature)
    assert not verify("secret", b'{"a":2}', signature)
    assert not verify("secret", b'{"a":1}', signature, now=now + SIGNATURE_TOLERANCE + 1)


@pytest.mark.skipif(not SCHEMAS.exists(), reason="../shared/schemas is not present")
def test_the_payload_validates_against_the_official_ninjs_schema(receivers, committed, editor):
    import jsonschema

    schema = json.loads((SCHEMAS / "ninjs-schema_3.1.json").read_text())
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    endpoint(receivers.answer("/ninjs"))
    article = ArticleFactory(topics=["Energy"], authors=[editor])
    publish(committed, article, editor)
    run_due()
    with committed():
        workflow.withdraw(article, editor, "The figures were wrong.")
    run_due()
    full, tombstone = (r.item for r in receivers.at("/ninjs"))
    assert full["pubStatus"] == "usable" and tombstone["pubStatus"] == "canceled"
    for item in (full, tombstone):
        assert [e.message for e in validator.iter_errors(item)] == []


def test_endpoints_out_of_scope_get_nothing(receivers, committed, editor, source):
    endpoint(receivers.answer("/other-source"), sources=[SourceFactory()])
    endpoint(receivers.answer("/other-section"), sections=[SectionFactory()])
    endpoint(receivers.answer("/other-language"), languages=["uk"])
    endpoint(receivers.answer("/inactive-partner"), is_active=False)
    off = endpoint(receivers.answer("/inactive-endpoint"))
    Endpoint.objects.filter(pk=off.pk).update(is_active=False)
    endpoint(receivers.answer("/in-scope"), sources=[source])
    publish(committed, ArticleFactory(source=source), editor)
    run_due()
    assert [r.path for r in receivers.received] == ["/in-scope"]
    assert Delivery.objects.count() == 1


def test_a_draft_goes_nowhere(receivers, committed, editor):
    endpoint(receivers.answer("/drafts"))
    with committed():
        workflow.create_draft(editor, headline="Not yet", slug="not-yet", body="<p>Text.</p>")
    assert not Delivery.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_a_publish_costs_the_same_queries_for_two_endpoints_or_twenty(
    receivers, editor, django_assert_num_queries
):
    # Reading the story, choosing the endpoints, the deliveries and the task (in a
    # savepoint): not one query per endpoint.
    for count in (2, 20):
        for number in range(count):
            endpoint(receivers.answer(f"/budget-{count}-{number}"))
        article = ArticleFactory(published=True)
        with django_assert_num_queries(6):
            made = plan(article.pk)
        assert len(made) == count
        Endpoint.objects.all().delete()


def test_sending_costs_the_same_queries_for_two_endpoints_or_twenty(
    receivers, django_assert_num_queries
):
    # The deliveries claimed (locked, leased) and read with their endpoints, the story
    # with its bylines and topics, one UPDATE for the deliveries that ended alike (in
    # savepoints): none per endpoint.
    for count in (2, 20):
        for number in range(count):
            endpoint(receivers.answer(f"/sending-{count}-{number}"))
        made = plan(ArticleFactory(published=True, topics=["Energy"]).pk)
        with django_assert_num_queries(11):
            assert deliver.call(made) == f"{count} delivered, 0 failed, 0 given up"
        Endpoint.objects.all().delete()


def test_a_delivery_taken_by_one_attempt_is_not_sent_by_another(receivers):
    endpoint(receivers.answer("/leased"))
    made = plan(ArticleFactory(published=True).pk)
    # A retry and a resend of the same delivery running at once: one sends.
    assert [d.pk for d in push.claim(made)] == made
    assert push.claim(made) == []
    assert deliver.call(made) == "nothing due"


def test_a_change_rolled_back_sends_nothing(receivers, committed, editor):
    endpoint(receivers.answer("/rolled-back"))
    article = ArticleFactory()
    with committed(), contextlib.suppress(RuntimeError), transaction.atomic():
        workflow.publish(article, editor)
        raise RuntimeError("the request failed after the publish")
    assert not Delivery.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_a_failing_endpoint_is_retried_and_delivered_once_it_recovers(receivers, committed, editor):
    target = endpoint(receivers.answer("/flaky", status=500))
    publish(committed, ArticleFactory(), editor)
    assert run_due() == ["0 delivered, 1 failed, 0 given up"]
    delivery = Delivery.objects.get(endpoint=target)
    assert delivery.status == Delivery.Status.FAILED
    assert (delivery.attempts, delivery.response_status) == (1, 500)
    assert delivery.error == "HTTP 500 Internal Server Error"
    retry = DBTaskResult.objects.get(task_path=deliver.module_path, status="READY")
    assert retry.run_after == delivery.next_attempt_at
    assert (
        timedelta(seconds=29) < delivery.next_attempt_at - timezone.now() <= timedelta(seconds=30)
    )
    assert run_due() == []  # Not before its time.
    receivers.answer("/flaky")
    with time_machine.travel(delivery.next_attempt_at, tick=True):
        assert run_due() == ["1 delivered, 0 failed, 0 given up"]
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.DELIVERED
    assert (delivery.attempts, delivery.response_status, delivery.error) == (2, 200, "")
    assert len(receivers.at("/flaky")) == 2
    assert not DBTaskResult.objects.ready().exists()


def test_a_delivery_is_given_up_after_the_last_wait(receivers, committed, editor):
    target = endpoint(receivers.answer("/down", status=503))
    publish(committed, ArticleFactory(), editor)
    run_due()
    for _wait in settings.NEWSROOM_PUSH_RETRY_WAITS:
        due_at = Delivery.objects.get(endpoint=target).next_attempt_at
        with time_machine.travel(due_at, tick=True):
            run_due()
    delivery = Delivery.objects.get(endpoint=target)
    assert delivery.status == Delivery.Status.GIVEN_UP
    assert delivery.attempts == 3 and delivery.next_attempt_at is None
    assert not DBTaskResult.objects.filter(status="READY").exists()
    assert len(receivers.at("/down")) == 3


def test_a_retry_sends_the_story_as_it_stands_then(receivers, committed, editor):
    target = endpoint(receivers.answer("/later", status=500))
    article = ArticleFactory(headline="First headline")
    publish(committed, article, editor)
    run_due()
    Article.objects.filter(pk=article.pk).update(headline="Second headline", version=9)
    receivers.answer("/later")
    with time_machine.travel(Delivery.objects.get(endpoint=target).next_attempt_at, tick=True):
        run_due()
    assert receivers.at("/later")[-1].item["headlines"][0]["value"] == "Second headline"
    assert Delivery.objects.get(endpoint=target).version == 9


def test_an_endpoint_switched_off_before_the_attempt_is_not_sent_to(receivers, committed, editor):
    target = endpoint(receivers.answer("/switched-off"))
    publish(committed, ArticleFactory(), editor)
    Endpoint.objects.filter(pk=target.pk).update(is_active=False)
    assert run_due() == ["0 delivered, 0 failed, 1 given up"]
    assert receivers.received == []
    assert Delivery.objects.get(endpoint=target).status == Delivery.Status.GIVEN_UP


def failure(receivers, committed, editor, url: str) -> Delivery:
    """Publish to one endpoint at `url` and return its delivery after one attempt."""
    target = endpoint(url)
    publish(committed, ArticleFactory(), editor)
    run_due()
    return Delivery.objects.get(endpoint=target)


def test_loopback_is_refused_unless_allowed(receivers, committed, editor, settings):
    settings.NEWSROOM_PUSH_ALLOWED_NETWORKS = []
    delivery = failure(receivers, committed, editor, receivers.answer("/loopback"))
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.error == "refused to connect to 127.0.0.1: not a public address"
    assert receivers.received == []


def test_a_name_resolving_to_a_private_address_is_refused(receivers, committed, editor, settings):
    settings.NEWSROOM_PUSH_ALLOWED_NETWORKS = []
    port = receivers.httpd.server_address[1]
    delivery = failure(receivers, committed, editor, f"http://localhost:{port}/named")
    assert delivery.error.startswith("refused to connect to ")
    assert delivery.error.endswith(": not a public address")
    assert receivers.received == []


def test_https_is_required_unless_allowed(receivers, committed, editor, settings):
    settings.NEWSROOM_PUSH_ALLOW_HTTP = False
    url = receivers.answer("/plain")
    delivery = failure(receivers, committed, editor, url)
    assert delivery.error == f"not an https URL: {url}"
    assert receivers.received == []


@pytest.fixture
def second_loopback(settings):
    """A receiver on 127.0.0.2, the only address allowed: 127.0.0.1 is then refused."""
    server = Receivers("127.0.0.2")
    settings.NEWSROOM_PUSH_ALLOWED_NETWORKS = ["127.0.0.2/32"]
    yield server
    server.stop()


@pytest.mark.parametrize("private", ["127.0.0.1", "10.1.2.3"])
def test_a_redirect_to_a_private_address_is_refused(
    receivers, second_loopback, committed, editor, private
):
    port = receivers.httpd.server_address[1]
    receivers.answer("/inside")
    url = second_loopback.answer("/moved", status=307, location=f"http://{private}:{port}/inside")
    delivery = failure(receivers, committed, editor, url)
    assert delivery.error == f"refused to connect to {private}: not a public address"
    assert len(second_loopback.received) == 1
    assert receivers.received == []


def test_a_307_redirect_is_followed_with_the_same_body(receivers, committed, editor):
    final = receivers.answer("/final")
    delivery = failure(
        receivers, committed, editor, receivers.answer("/old", status=307, location=final)
    )
    assert delivery.status == Delivery.Status.DELIVERED
    first, second = receivers.received
    assert (first.path, second.path) == ("/old", "/final")
    assert first.body == second.body
    assert second.headers["Newsroom-Signature"] == first.headers["Newsroom-Signature"]


def test_a_302_redirect_fails_the_attempt(receivers, committed, editor):
    final = receivers.answer("/final")
    url = receivers.answer("/found", status=302, location=final)
    delivery = failure(receivers, committed, editor, url)
    assert delivery.error == f"HTTP 302 redirected to {final}; register the final address"
    assert [r.path for r in receivers.received] == ["/found"]


def test_a_receiver_that_does_not_answer_fails_within_the_time_limit(
    receivers, committed, editor, settings
):
    settings.NEWSROOM_PUSH_TIMEOUT = 0.5
    started = time.monotonic()
    delivery = failure(receivers, committed, editor, receivers.answer("/silent", delay=3))
    assert time.monotonic() - started < 2.5
    assert delivery.error == "no answer within 0.5 s"
    assert delivery.status == Delivery.Status.FAILED


def test_an_answer_over_the_size_cap_fails_the_attempt(receivers, committed, editor, settings):
    settings.NEWSROOM_PUSH_MAX_BYTES = 1000
    url = receivers.answer("/chatty", body=b"x" * 5000)
    delivery = failure(receivers, committed, editor, url)
    assert delivery.error == "answer is 5,000 bytes, over the 1,000 limit"
    assert delivery.status == Delivery.Status.FAILED


def test_a_withdrawal_is_sent_to_the_endpoints_that_had_the_story(
    receivers, committed, editor, source
):
    had = endpoint(receivers.answer("/had"))
    article = ArticleFactory(source=source)
    publish(committed, article, editor)
    run_due()
    endpoint(receivers.answer("/joined-later"))
    with committed():
        workflow.withdraw(article, editor, "The source retracted the claim.")
    assert run_due() == ["1 delivered, 0 failed, 0 given up"]
    received = receivers.at("/had")[-1]
    assert received.headers["Newsroom-Event"] == "canceled"
    item = received.item
    assert item["pubStatus"] == "canceled"
    assert "headlines" not in item and "bodies" not in item
    assert item["descriptions"] == [
        {
            "role": "withdrawal",
            "contentType": "text/plain",
            "value": "The source retracted the claim.",
        }
    ]
    assert receivers.at("/joined-later") == []
    last = Delivery.objects.filter(endpoint=had).first()
    assert (last.event, last.pub_status) == (Delivery.Event.CANCELED, "canceled")


def test_an_unpublished_story_is_withheld_once(receivers, committed, editor):
    endpoint(receivers.answer("/had"))
    article = ArticleFactory()
    publish(committed, article, editor)
    with committed():
        workflow.unpublish(article, editor)
    run_due()
    assert receivers.at("/had")[-1].item["pubStatus"] == "withheld"
    with committed():
        workflow.delete(article, editor)
    run_due()
    events = [r.headers["Newsroom-Event"] for r in receivers.at("/had")]
    assert events == ["published", "withheld", "canceled"]


def test_an_embargoed_scheduled_story_is_delivered_at_once(receivers, committed, editor):
    endpoint(receivers.answer("/embargo"))
    at = (timezone.now() + timedelta(hours=2)).replace(microsecond=0)
    publish(committed, ArticleFactory(embargoed=True), editor, at=at)
    run_due()
    (received,) = receivers.at("/embargo")
    assert received.item["embargoedUntil"] == at.isoformat()
    # The version was made when it was released, not at its publish time to come.
    assert datetime.fromisoformat(received.item["versionCreated"]) <= timezone.now()


def test_a_scheduled_story_is_delivered_when_it_goes_public(receivers, committed, editor):
    endpoint(receivers.answer("/scheduled"))
    at = (timezone.now() + timedelta(hours=2)).replace(microsecond=0)
    article = ArticleFactory()
    publish(committed, article, editor, at=at)
    assert run_due() == []
    assert receivers.received == [] and not Delivery.objects.exists()
    queued = DBTaskResult.objects.get(task_path=deliver_when_public.module_path)
    assert queued.run_after == at
    with time_machine.travel(at, tick=True):
        assert run_due() == ["1 deliveries"]
        assert run_due() == ["1 delivered, 0 failed, 0 given up"]
    (received,) = receivers.at("/scheduled")
    assert received.headers["Newsroom-Event"] == "published"
    assert "embargoedUntil" not in received.item


def test_a_scheduled_story_changed_since_is_left_to_its_change(receivers, committed, editor):
    endpoint(receivers.answer("/moved"))
    at = (timezone.now() + timedelta(hours=2)).replace(microsecond=0)
    article = ArticleFactory()
    publish(committed, article, editor, at=at)
    with committed():
        workflow.unpublish(article, editor)
    with time_machine.travel(at, tick=True):
        assert run_due() == ["changed since it was scheduled"]
    assert receivers.received == [] and not Delivery.objects.exists()


def test_a_correction_is_sent_as_corrected_with_a_higher_version(receivers, committed, editor):
    endpoint(receivers.answer("/corrections"))
    article = ArticleFactory()
    publish(committed, article, editor)
    run_due()
    with committed():
        workflow.add_correction(article, editor, "The vote was on Tuesday.")
    run_due()
    published, corrected = receivers.at("/corrections")
    assert corrected.headers["Newsroom-Event"] == "corrected"
    assert int(corrected.item["version"]) > int(published.item["version"])


def test_an_edit_is_sent_as_updated(receivers, committed, editor):
    endpoint(receivers.answer("/edits"))
    article = ArticleFactory()
    publish(committed, article, editor)
    article.refresh_from_db()
    article.headline = "A better headline"
    with committed():
        workflow.save(article, editor)
    run_due()
    assert [r.headers["Newsroom-Event"] for r in receivers.at("/edits")] == ["published", "updated"]
    assert receivers.at("/edits")[-1].item["headlines"][0]["value"] == "A better headline"


def test_resend_queues_a_fresh_attempt_of_the_same_delivery(receivers, committed, editor):
    target = endpoint(receivers.answer("/resend", status=500))
    publish(committed, ArticleFactory(), editor)
    run_due()
    receivers.answer("/resend")
    assert resend(Delivery.objects.filter(endpoint=target)) == 1
    delivery = Delivery.objects.get(endpoint=target)
    assert (delivery.status, delivery.attempts) == (Delivery.Status.PENDING, 1)
    assert "1 delivered, 0 failed, 0 given up" in run_due()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.DELIVERED, 2)
    assert Delivery.objects.count() == 1
    assert resend([]) == 0


def test_post_returns_the_status_from_synchronous_code(receivers):
    url = receivers.answer("/ping", status=204)
    status = outbound.post(
        url,
        b"hello",
        {"Content-Type": "text/plain"},
        allowed_networks=["127.0.0.0/8"],
        timeout=5,
        max_bytes=1000,
        allow_http=True,
    )
    assert status == 204
    assert receivers.at("/ping")[0].body == b"hello"


def test_post_refuses_too_many_redirects(receivers):
    url = receivers.answer("/loop", status=308, location="/loop")
    with pytest.raises(outbound.OutboundError, match="more than 5 redirects"):
        outbound.post(
            url,
            b"",
            {},
            allowed_networks=["127.0.0.0/8"],
            timeout=5,
            max_bytes=1000,
            allow_http=True,
        )
    assert len(receivers.at("/loop")) == 6
