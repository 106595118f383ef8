"""Schemathesis drives every API operation with generated input: never a server error."""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import positive_data_acceptance

from newsroom.wsgi import application
from tests.factories import ArticleFactory

# Times at the ends of Python's calendar and beyond PostgreSQL's offsets, which the
# default date-time strategy reaches too rarely to find what they break.
EDGE_DATE_TIMES = [
    "0001-01-01T00:00:00Z",
    "0001-01-01T00:00:00+14:00",
    "0001-01-01T00:00:00-14:00",
    "9999-12-31T23:59:59Z",
    "9999-12-31T23:59:59-14:00",
    "9999-12-31T23:59:59+14:00",
    "2026-01-01T00:00:00+23:59",
    "2026-01-01T00:00:00-16:00",
]
schemathesis.openapi.format(
    "date-time",
    st.one_of(
        st.sampled_from(EDGE_DATE_TIMES),
        st.builds(
            "{}T{:%H:%M:%S}{}{:02d}:{:02d}".format,
            st.dates(),
            st.times(),
            st.sampled_from("+-"),
            st.integers(0, 23),
            st.integers(0, 59),
        ),
    ),
)

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


def date_time_parameters() -> list[tuple[str, str]]:
    """Every query parameter of the API that takes a date and time, with its path."""
    found = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for parameter in operation.query:
            if '"date-time"' in json.dumps(parameter.definition.get("schema", {})):
                found.append((operation.path, parameter.name))
    return found


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


@pytest.mark.parametrize(("path", "name"), date_time_parameters())
@pytest.mark.parametrize("value", [*EDGE_DATE_TIMES, "0001-01-01", "9999-12-31"])
def test_every_date_time_parameter_takes_the_ends_of_the_calendar(path, name, value, stories):
    case = schema[path]["GET"].Case(query={name: value})
    response = case.call_and_validate(excluded_checks=[positive_data_acceptance])
    assert response.status_code in (200, 400)
