import pytest
from django.contrib.auth.models import Group

from tests.factories import ArticleFactory, UserFactory


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    # Browser tests are transactional: each empties the database, the groups that
    # migrations create included. Run them after every other test, as Django's own
    # runner does. (pytest groups the tests that share the session-scoped browser
    # parameter, such as tests with a `page` argument, and would otherwise put the
    # browser tests in the middle of the run.)
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Real hashing is deliberately slow; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache():
    # The page cache is process-wide; every test starts without cached pages.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def published_article(db):
    return ArticleFactory(published=True, topics=["Russia", "Human rights"])


@pytest.fixture
def reporter(db):
    return UserFactory(username="reporter-1", groups=["Reporters"])


@pytest.fixture
def editor(db):
    return UserFactory(username="editor-1", groups=["Editors"])


@pytest.fixture
def moderator(db):
    return UserFactory(username="moderator-1", groups=["Topic moderators"])


@pytest.fixture
def groups(db):
    return {group.name: group for group in Group.objects.all()}
