"""Schemathesis against the API's own schema, in process: whatever it sends (reads, and
writes with a member's token), no answer is a server error or breaks the schema."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from portal.api.api import api
from portal.api.tokens import create_token
from portal.wsgi import application

from ..conftest import host

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1"))
schema.app = application


@pytest.fixture
def token(db, steel, make_member, settings) -> str:
    # Enough room for every example: the limits have tests of their own.
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": "10000/m", "listing": "10000/h"}
    return create_token(make_member(steel, "fuzzer"), "fuzz")[1]


@pytest.fixture
def connection_kept():
    """Calls through WSGI end as requests do, closing the database connection, which would
    lose the test's transaction (PostgreSQL): kept open, as Django's own test client does."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.mark.slow
@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_the_api_answers_within_its_schema(case, token, connection_kept):
    case.call_and_validate(
        base_url=f"http://{host('steel')}",
        headers={"Authorization": f"Bearer {token}"},
        checks=CHECKS,
    )
