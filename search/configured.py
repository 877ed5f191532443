"""The engine this install searches with: the database (default), or Elasticsearch/OpenSearch
at ``settings.SEARCH_URL``, told which portals exist."""

from functools import lru_cache

from django.conf import settings

from portal.core.models import PortalHomePage

from .engines import SearchEngine


def known_portals() -> list[str]:
    return list(PortalHomePage.objects.values_list("industry_slug", flat=True))


@lru_cache(maxsize=4)
def engine_for(url: str, prefix: str) -> SearchEngine:
    if not url:
        from .engines.database import DatabaseEngine

        return DatabaseEngine()
    from .engines.elastic import ElasticEngine

    return ElasticEngine(url, prefix, known_portals)


def get_engine() -> SearchEngine:
    """The configured engine."""
    return engine_for(settings.SEARCH_URL, settings.SEARCH_INDEX_PREFIX)


def database_engine() -> SearchEngine:
    """The database engine: what search falls back on while an external engine is down."""
    return engine_for("", settings.SEARCH_INDEX_PREFIX)
