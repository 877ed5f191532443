"""Search engines behind one interface; ``get_engine()`` picks one from settings.SEARCH_URL."""

from functools import lru_cache

from django.conf import settings

from .base import EngineUnavailable, RawResults, SearchEngine


@lru_cache(maxsize=4)
def _engine_for(url: str, prefix: str) -> SearchEngine:
    if not url:
        from .database import DatabaseEngine

        return DatabaseEngine()
    from .elastic import ElasticEngine

    return ElasticEngine(url, prefix)


def get_engine() -> SearchEngine:
    """The configured engine: the database (default) or Elasticsearch/OpenSearch at SEARCH_URL."""
    return _engine_for(settings.SEARCH_URL, settings.SEARCH_INDEX_PREFIX)


def database_engine() -> SearchEngine:
    return _engine_for("", settings.SEARCH_INDEX_PREFIX)


__all__ = ["EngineUnavailable", "RawResults", "SearchEngine", "database_engine", "get_engine"]
