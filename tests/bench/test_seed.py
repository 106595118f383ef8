"""The benchmark's synthetic newsroom: shaped like a real one."""

from datetime import timedelta

from bench.seed import PUBLISH_JITTER, Plan, story_rows

PUBLISH_AT = 10


def test_stories_are_published_in_about_the_order_of_their_ids():
    plan = Plan(articles=3000)
    published = [
        (article[0], article[PUBLISH_AT])
        for article, _, _ in story_rows(plan, 1, plan.articles)
        if article[PUBLISH_AT] is not None and article[PUBLISH_AT] <= plan.now
    ]
    assert len(published) > 0.9 * plan.articles
    jitter = timedelta(seconds=PUBLISH_JITTER)
    latest = published[0][1]
    for _, publish_at in published[1:]:
        # Never published long before a story written before it.
        assert publish_at >= latest - jitter
        latest = max(latest, publish_at)
    assert plan.now - timedelta(days=3 * 365) - jitter <= published[0][1]
    assert published[-1][1] <= plan.now
