"""The Content-Security-Policy in a real browser: every screen works and breaks no rule.

Chromium reports each thing the policy blocks as a `securitypolicyviolation` event;
a script added before any page's own records them all, screen after screen.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from articles.models import Article
from tests.factories import ArticleFactory, SourceFactory, TopicFactory, UserFactory
from topics.models import Topic, TopicAlias

pytestmark = pytest.mark.django_db(transaction=True)

RECORD_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolation({
    page: document.location.pathname,
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    sample: event.sample,
    source: event.sourceFile + ":" + event.lineNumber,
  });
}, true);
"""


@pytest.fixture
def violations(page: Page) -> list[dict]:
    """Every violation the pages of this test report, with the console's CSP errors."""
    found: list[dict] = []

    def record(violation: dict) -> None:
        found.append(violation)

    def console(message) -> None:
        if "Content Security Policy" in message.text:
            found.append({"console": message.text})

    page.expose_function("cspViolation", record)
    page.add_init_script(RECORD_VIOLATIONS)
    page.on("console", console)
    return found


def settle(page: Page) -> None:
    """Let the page finish loading what it loads late, and its reports arrive."""
    page.wait_for_load_state("networkidle")
    page.evaluate("() => new Promise((done) => setTimeout(done, 100))")


def test_the_policy_blocks_what_it_should_and_no_screen_breaks_it(
    live_server, page: Page, violations: list[dict]
):
    story = ArticleFactory(published=True, headline="Grain corridor reopens", topics=["Energy"])
    SourceFactory(name="Ukrinform")
    TopicFactory(name="Grain corridor")
    TopicFactory(name="Grain theft", status=Topic.Status.PENDING)
    TopicFactory(name="Grain-corridor", status=Topic.Status.PENDING)
    chief = UserFactory(username="chief-csp", is_staff=True, is_superuser=True)
    chief.set_password("chief-csp-pass")
    chief.save()
    url = live_server.url

    # The recorder works: an inline script added to a public page is blocked and reported.
    page.goto(url + reverse("articles:home"))
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.injected = true";
            document.body.append(script);
        }"""
    )
    settle(page)
    assert page.evaluate("() => window.injected") is None
    assert [v.get("directive") for v in violations if "directive" in v] == ["script-src-elem"]
    violations.clear()

    # The public site: home, a story (with its JSON-LD), a topic, search.
    page.goto(url + reverse("articles:home"))
    page.get_by_role("link", name="Grain corridor reopens").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Grain corridor reopens")
    assert page.locator('script[type="application/ld+json"]').count() == 1
    page.goto(url + reverse("articles:topic", args=["energy"]))
    page.get_by_role("searchbox", name="Search stories").fill("grain")
    page.keyboard.press("Enter")
    expect(page.locator("article.result")).to_have_count(1)
    settle(page)

    # The admin: log in, the index, the story list with a search.
    page.goto(url + reverse("admin:login"))
    page.get_by_label("Username").fill("chief-csp")
    page.get_by_label("Password").fill("chief-csp-pass")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#site-name")).to_be_visible()
    page.goto(url + reverse("admin:articles_article_changelist") + "?q=grain")
    expect(page.locator("#result_list")).to_contain_text("Grain corridor reopens")
    settle(page)

    # A new story: the prose editor, the source autocomplete, the topic suggestions.
    page.goto(url + reverse("admin:articles_article_add"))
    page.get_by_label("Headline").fill("Convoy leaves Odesa")
    editor_area = page.get_by_role("textbox").and_(page.locator("[contenteditable=true]")).first
    editor_area.click()
    page.keyboard.type("Three ships left port in the morning. ")
    page.keyboard.press("Enter")
    page.keyboard.type("The navy escorts them.")
    page.locator(".field-source .select2-selection").click()
    page.locator(".select2-dropdown .select2-search__field").fill("ukri")
    page.locator(".select2-results__option", has_text="Ukrinform").click()
    topics = page.get_by_role("combobox", name="Topics")
    topics.press_sequentially("grai")
    suggestions = page.get_by_role("listbox", name="Suggested topics")
    expect(suggestions.get_by_role("option")).to_have_text(["Grain corridor"])
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    settle(page)
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    article = Article.objects.get(headline="Convoy leaves Odesa")
    assert "<p>Three ships left port in the morning. </p>" in article.body
    assert article.source.name == "Ukrinform"
    assert list(article.topics.names()) == ["Grain corridor"]

    # Its change form, whose "being edited by" ping runs on a timer (hurried here) and
    # says goodbye when the form is left.
    page.clock.install()
    page.goto(url + reverse("admin:articles_article_change", args=[article.pk]))
    expect(page.locator("[contenteditable=true]").first).to_contain_text("The navy escorts them.")
    with page.expect_response(lambda r: r.url.endswith("/presence/") and r.status == 200):
        page.clock.run_for("00:31")
    with page.expect_response(lambda r: r.url.endswith("/presence/") and r.status == 204):
        page.evaluate("() => window.dispatchEvent(new PageTransitionEvent('pagehide'))")
    page.goto(url + reverse("admin:articles_article_preview", args=[story.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Grain corridor reopens")
    page.goto(url + reverse("admin:articles_article_revisions", args=[article.pk]))
    settle(page)

    # Topic moderation: the queue, an approval, the duplicates, an alias's topic autocomplete.
    page.goto(url + reverse("admin:topics_topic_changelist") + "?status__exact=pending")
    page.get_by_role("checkbox", name="Select this object for an action - Grain theft").check()
    page.locator("select[name=action]").select_option("approve_selected")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_be_visible()
    assert Topic.objects.get(name="Grain theft").status == Topic.Status.APPROVED
    page.goto(url + reverse("admin:topics_topic_duplicates"))
    expect(page.locator("#content-main")).to_contain_text("Grain-corridor")
    page.get_by_role("link", name="Merge…").first.click()
    expect(page.get_by_role("heading", name="Which topic stays?")).to_be_visible()
    page.goto(url + reverse("admin:topics_topicalias_add"))
    page.get_by_label("Name").fill("Black Sea corridor")
    page.locator(".field-topic .select2-selection").click()
    page.locator(".select2-dropdown .select2-search__field").fill("corr")
    page.locator(".select2-results__option", has_text="Grain corridor").first.click()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_be_visible()
    assert TopicAlias.objects.get(name="Black Sea corridor").topic.name == "Grain corridor"
    settle(page)

    assert violations == []
