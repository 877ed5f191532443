"""Search at scale: the database engine estimates facets from a sample of a large result set
and says when a portal has outgrown it; the external engines' counts can be cached."""

import json

import pytest
from django.core.management import call_command
from django.http import QueryDict

from search import advice
from search.engines import database
from search.engines.database import DatabaseEngine
from search.models import SearchDocument
from search.params import parse_query

pytestmark = pytest.mark.django_db


def query(params: str = ""):
    return parse_query(QueryDict(params), ["steel"], None)


def test_a_large_result_set_gets_estimated_facets_and_an_exact_total(monkeypatch, settings):
    settings.SEARCH_URL = ""
    engine = DatabaseEngine()
    exact = engine.search(query("type=listing"))
    assert not exact.approximate
    monkeypatch.setattr(database, "FACET_SAMPLE", 20)
    estimated = engine.search(query("type=listing"))
    assert estimated.approximate
    assert estimated.total == exact.total  # counted, not estimated
    assert [hit.page_id for hit in estimated.hits] == [hit.page_id for hit in exact.hits]
    documents = SearchDocument.objects.filter(portal="steel").count()
    for facet in ("type", "kind", "price"):
        # A sample's counts, scaled up: about right, and never more than there are documents
        # by much.
        assert set(estimated.facets[facet]) <= set(exact.facets[facet])
        assert sum(estimated.facets[facet].values()) <= 2 * documents


def test_status_says_when_a_portal_has_outgrown_the_database_engine(monkeypatch, settings, capsys):
    settings.SEARCH_URL = ""
    call_command("search_index", "status")
    assert "outgrown" not in capsys.readouterr().out.lower()
    assert advice.outgrown_database() == []
    monkeypatch.setattr(advice, "DATABASE_ENGINE_LIMIT", 10)
    call_command("search_index", "status")
    out = capsys.readouterr().out
    assert "steel:" in out and "use Elasticsearch or OpenSearch" in out
    assert advice.outgrown_database(["textiles"]) == [
        line for line in advice.outgrown_database() if line.startswith("textiles:")
    ]


def test_no_advice_when_an_external_engine_serves(monkeypatch, settings):
    from search.configured import engine_for

    monkeypatch.setattr(advice, "DATABASE_ENGINE_LIMIT", 10)
    settings.SEARCH_URL = "http://127.0.0.1:9"  # never contacted
    engine_for.cache_clear()
    assert advice.outgrown_database() == []


def test_the_engine_can_cache_the_counts_of_a_search():
    """The counts (total and facets) go in their own size-0 request without any date relative
    to ``now``, which the engine would refuse to cache."""
    from search.engines.elastic import ElasticEngine

    engine = ElasticEngine("http://127.0.0.1:9", "test")
    hits, counts = engine.build(query("q=steel&posted=30d&price=500-1000&kind=sell"))
    body = counts.to_dict()
    assert body["size"] == 0 and "now" not in json.dumps(body)
    assert "aggs" not in hits.to_dict() and hits.to_dict()["track_total_hits"] is False
