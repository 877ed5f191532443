"""Search engines behind one interface (see ``base.py``): the database, and Elasticsearch or
OpenSearch. They know nothing of the portals: what they need of them is passed in. Which engine
serves is chosen in ``search/configured.py``."""

from .base import EngineUnavailable, RawResults, SearchEngine

__all__ = ["EngineUnavailable", "RawResults", "SearchEngine"]
