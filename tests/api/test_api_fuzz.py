"""Schemathesis drives every API operation with generated input: never a server error."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from newsroom.wsgi import application
from tests.factories import ArticleFactory

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def stories(db):
    # Called as a WSGI app, Django would close the test's database connection after
    # each request; the test client avoids that the same way.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    ArticleFactory.create_batch(3, published=True, topics=["Energy", "Вишиванка"])
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_input_makes_the_api_fail(case, stories):
    # Cursors are opaque: a well-formed string that is not one of ours is a 400 on purpose.
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
