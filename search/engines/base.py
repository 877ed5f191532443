"""The contract every search engine keeps."""

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..models import SearchDocument
from ..query import SearchQuery

Progress = Callable[[int], None]


class EngineUnavailable(Exception):
    """The engine cannot be reached or refused the request; callers fall back or retry."""


@dataclass
class Hit:
    page_id: int
    snippet: str = ""  # safe HTML: escaped text with <mark> around matches


@dataclass
class RawResults:
    hits: list[Hit]
    total: int
    # facet name -> {value: count}; values are strings (ids, keys, slugs)
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    suggestions: list[str] = field(default_factory=list)
    # True when the facet counts are estimates (the database engine counts a sample of a
    # large result set); the total is always exact
    approximate: bool = False


class SearchEngine(ABC):
    name: str
    external: bool = False

    @abstractmethod
    def search(self, query: SearchQuery) -> RawResults:
        """Hits of one page of results, the total, facet counts and, when nothing matched,
        suggestions. Facet counts of a multi-select facet ignore that facet's own selection."""

    @abstractmethod
    def autocomplete(self, text: str, portals: tuple[str, ...], limit: int = 8) -> list[int]:
        """Page ids whose titles complete ``text``, best first."""

    @abstractmethod
    def index(self, docs: list[SearchDocument]) -> None:
        """Add or replace documents."""

    @abstractmethod
    def delete(self, page_ids: list[int], portal: str | None = None, at=None) -> None:
        """Remove documents from one portal or all (missing ones are fine); ``at`` is when
        the removal happened, so that a newer copy of the document survives it."""

    @abstractmethod
    def rebuild(self, portal: str, docs: Iterable[SearchDocument], progress: Progress) -> int:
        """Build the portal's index afresh from ``docs`` and switch to it; returns the count."""

    @abstractmethod
    def document_ids(self, portal: str) -> set[int]:
        """The page ids the engine holds for a portal (for verify)."""

    def ping(self) -> bool:
        return True
