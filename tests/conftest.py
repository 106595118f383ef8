import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import translation

from tests.factories import ArticleFactory, UserFactory


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Real hashing is deliberately slow; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language: a request to /uk/ leaves it active."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def empty_cache():
    # The cache is process-wide (the navigation is kept there); every test starts without it.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def front_cache(settings):
    """Record the front cache's purges in memory (`LocMemBackend.purged`), one list per test."""
    from frontcache.backends import LocMemBackend

    settings.NEWSROOM_FRONT_CACHE = {"BACKEND": "frontcache.backends.LocMemBackend"}
    LocMemBackend.purged = []
    LocMemBackend.fail = False
    return LocMemBackend


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    # Uploaded photos and their resized copies go to a folder of the test's own.
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


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


@pytest.fixture
def superuser(db):
    return UserFactory(username="chief-1", is_staff=True, is_superuser=True)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run the browser tests last.

    Playwright's synchronous API keeps an event loop running in the main thread
    from its first test to the end of the session, and the code under test that
    runs its own loop (`asyncio.run`: the wire's fetches, pushes, WebSub) cannot
    start one inside it.
    """
    items.sort(key=lambda item: "playwright" in getattr(item, "fixturenames", ()))
