"""When a portal has outgrown the database engine: past some tens of thousands of documents its
searches slow down (facets are then estimated from a sample, and the full-text match of a
common word alone takes 100-200 ms on SQLite), where Elasticsearch or OpenSearch stay fast."""

from django.db.models import Count

from .configured import get_engine
from .models import SearchDocument

DATABASE_ENGINE_LIMIT = 20_000  # documents in one portal


def outgrown_database(portals: list[str] | None = None) -> list[str]:
    """One line of advice per portal with more than ``DATABASE_ENGINE_LIMIT`` documents, when
    search runs on the database engine; none otherwise."""
    if get_engine().external:
        return []
    documents = SearchDocument.objects.all()
    if portals is not None:
        documents = documents.filter(portal__in=portals)
    sizes = documents.values_list("portal").annotate(n=Count("pk")).order_by("portal")
    return [
        f"{portal}: {n:,} search documents, more than the database engine serves well "
        f"({DATABASE_ENGINE_LIMIT:,}); use Elasticsearch or OpenSearch (set SEARCH_URL, then "
        f"run `manage.py search_index rebuild`)"
        for portal, n in sizes
        if n > DATABASE_ENGINE_LIMIT
    ]
