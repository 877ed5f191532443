"""Search engines under test: the database engine always; Elasticsearch and OpenSearch when
SEARCH_TEST_URLS names them (``make test`` starts both and sets it)."""

import os
import uuid

import pytest

from search.configured import engine_for

PORTALS = ("steel", "textiles", "agrifood")


def engine_urls() -> list[str]:
    return [url.strip() for url in os.environ.get("SEARCH_TEST_URLS", "").split(",") if url.strip()]


def engine_params():
    yield pytest.param("", id="database")
    for url in engine_urls():
        yield pytest.param(url, id=url.rsplit(":", 1)[-1], marks=pytest.mark.slow)


@pytest.fixture(scope="session")
def index_prefix() -> str:
    return f"test-{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="session", params=list(engine_params()))
def engine_url(request, django_db_setup, django_db_blocker, index_prefix):
    """An engine loaded with the demo portals' documents (once per session and engine)."""
    url = request.param
    if url:
        from search.models import SearchDocument

        engine = engine_for(url, index_prefix)
        with django_db_blocker.unblock():
            for portal in PORTALS:
                docs = SearchDocument.objects.filter(portal=portal).order_by("pk")
                engine.rebuild(portal, docs.iterator(), lambda n: None)
        yield url
        for portal in PORTALS:
            for index in engine.transport.indices_of(engine.alias(portal)):
                engine.transport.delete_index(index)
    else:
        yield url


@pytest.fixture
def engine(engine_url, settings, index_prefix, db):
    settings.SEARCH_URL = engine_url
    settings.SEARCH_INDEX_PREFIX = index_prefix
    from search.configured import get_engine

    return get_engine()
