"""The registry of section types: everything a kind of portal section brings, declared once.

A section type (news, the market board, franchises...) lives in its own app, which registers
one :class:`SectionType` from its ``AppConfig.ready()``. Everything that works across sections
reads this registry instead of naming a section type:

- the industry file schema (which ``kind`` values a file may list, their default titles);
- ``launch_portal`` (which index page to create, which permissions moderators get);
- the portal home page (which section pages may sit under it);
- search (the document each page type makes, what else to rebuild when a page changes, the
  facet labels);
- the static export (what a page shows of other pages, for incremental builds);
- the demo generator (how to make deterministic content for the section).

See ``docs/architecture.md`` for how to add a section type.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wagtail.models import Page

    from .models.pages import ListingIndexPage


@dataclass(frozen=True)
class SearchDocumentType:
    """How pages of one model become search documents."""

    key: str  # stored in the document, used in URLs: ``?type=listing``
    label: str  # the facet's option: "Market listings"
    noun: str  # one result's type, shown beside it: "Listing"
    model: str  # "app_label.ModelName" of the pages (subclasses included)
    build: Callable[["Page"], dict[str, Any]]  # the document's fields (see search/documents.py)
    select_related: tuple[str, ...] = ()  # what ``build`` reads, loaded with the pages
    prefetch_related: tuple[str, ...] = ()
    # Sub-kinds of the documents and their labels (the "Kind" facet): (("sell", "Sell offers"),)
    kinds: tuple[tuple[str, str], ...] = ()
    # Documents that show another page (a listing shows its company's name): when a page of
    # the model named by the key changes, the ids the function returns are rebuilt too.
    shows: dict[str, Callable[["Page"], Iterable[int]]] = field(default_factory=dict)


@dataclass(frozen=True)
class DemoContent:
    """Deterministic demo pages of a section, made by ``build(context, number)``."""

    noun: str  # what the generator reports: "listings"
    seed: str  # part of every item's random seed: "listing"
    count: Callable[[int], int]  # how many at a scale of N board listings
    # (page, related values): ``build(context, number)`` with a ``portal.demo.DemoContext``
    build: Callable[[Any, int], tuple["Page", dict[str, Any]]]
    max_age_days: int = 90  # items are published over this many days before today
    order: int = 0  # lower first: a section whose items others refer to comes first
    many_to_many: tuple[str, ...] = ()  # related values set as plain many-to-many fields
    # Anything else about the inserted pages and their related values (e.g. tags).
    after_insert: Callable[[list["Page"], list[dict[str, Any]]], None] | None = None
    # The key of another section whose index takes the items (e.g. a section whose demo adds
    # a year of market history to the board); the section's own index by default.
    parent: str | None = None


@dataclass(frozen=True)
class SectionType:
    key: str  # the ``kind`` in industry files, and the section's default URL slug
    title: str  # default title, shown in the menu
    index_model: str  # "app_label.ModelName" of the section's index page
    search: tuple[SearchDocumentType, ...] = ()
    # For the static export's incremental builds, ``{page id: [parts]}`` for the portal at
    # ``root``: what pages show of other pages beyond their links (matches, counts...), and
    # what changes about a page without a new revision (a badge lapsing by date; pages that
    # link to it are built again too).
    shown_content: Callable[["Page"], dict[int, list[Any]]] | None = None
    state_without_revision: Callable[["Page"], dict[int, list[Any]]] | None = None
    # What the first page of one of the section's filtered lists shows besides its items
    # (the board's supply and demand chart on a category's first page), for the portal at
    # ``root``: ``{(section page id, filter kind, filter value): [parts]}``. Only those
    # pages are built again (and purged) when it changes, not every list of the section.
    first_page_content: Callable[["Page"], dict[tuple[int, str, str], list[Any]]] | None = None
    # Files the section adds to the static copy beyond its pages, lists and feeds (downloads,
    # data): ``[(path below the section's URL, stamp of what the file holds)]`` for a section
    # page. Each is rendered by requesting its URL, as the live site answers it.
    export_files: Callable[["ListingIndexPage"], list[tuple[str, str]]] | None = None
    # A URLconf module the project includes, for what page routes cannot serve (a file name
    # with a suffix, such as a download): e.g. ``<slug:section>/prices.csv``.
    urls: str | None = None
    demo: DemoContent | None = None
    # Demo activity once demo accounts exist (inquiries, quotes): returns lines to print.
    demo_activity: Callable[["Page", str], list[str]] | None = None
    # Permissions ("app_label.codename") the portal's moderators get for this section.
    moderator_permissions: tuple[str, ...] = ()
    # Part of a portal whose industry file lists no sections.
    default: bool = True
    # Settings of the section in industry files (``options:`` of its entry): a pydantic model,
    # optionally with ``check(industry)`` that raises ValueError for values the rest of the file
    # contradicts (an unknown category or unit...).
    options: type | None = None
    # What ``launch_portal`` does for the section beyond its index page, given the index page
    # and the parsed options (pages made from the file...): returns lines for the report.
    launch: Callable[["ListingIndexPage", Any], list[str]] | None = None

    @property
    def index_page_class(self) -> type["ListingIndexPage"]:
        from django.apps import apps

        return apps.get_model(self.index_model)


_registry: dict[str, SectionType] = {}


def register(section_type: SectionType) -> SectionType:
    """Add a section type (from its app's ``ready()``); registering the same key again
    replaces it, so that reloading an app is harmless."""
    _registry[section_type.key] = section_type
    _forget_allowed_sections()
    return section_type


def _forget_allowed_sections() -> None:
    """Wagtail caches which page types a portal home page takes; it changes with the registry."""
    from django.apps import apps

    if apps.models_ready:
        apps.get_model("core", "PortalHomePage")._clean_subpage_models = None


def section_types() -> list[SectionType]:
    """Every registered section type, in registration order (the apps' order)."""
    return list(_registry.values())


@dataclass(frozen=True)
class PageState:
    """What an app that is not a section type adds to section pages without a new revision
    of them (a company's plan, its response rate, the sponsored slots of a list): the same
    hooks as :class:`SectionType` has, read by the static export and the page cache's purge
    alongside the section types'. Registered with :func:`register_page_state` from the app's
    ``AppConfig.ready()``."""

    key: str
    shown_content: Callable[["Page"], dict[int, list[Any]]] | None = None
    state_without_revision: Callable[["Page"], dict[int, list[Any]]] | None = None
    # What the first page of section lists shows (the sponsored slots), as in SectionType.
    first_page_content: Callable[["Page"], dict[tuple[int, str, str], list[Any]]] | None = None
    # What the portal's search page (not a page of the tree) shows, given the portal's root.
    search_page: Callable[["Page"], list[Any]] | None = None


_page_states: dict[str, PageState] = {}


def register_page_state(entry: PageState) -> PageState:
    _page_states[entry.key] = entry
    return entry


def page_state_sources() -> list[SectionType | PageState]:
    """Everything that declares ``shown_content`` or ``state_without_revision``: the section
    types, then the registered :class:`PageState` entries."""
    return [*_registry.values(), *_page_states.values()]


def section_type(key: str) -> SectionType:
    """The section type of ``key``; LookupError naming the known ones otherwise."""
    try:
        return _registry[key]
    except KeyError:
        known = ", ".join(_registry) or "none"
        raise LookupError(f"{key!r} is not a section type (known: {known})") from None


def section_type_of(page_or_model: Any) -> SectionType | None:
    """The section type whose index page ``page_or_model`` is (or is an instance of)."""
    model = page_or_model if isinstance(page_or_model, type) else type(page_or_model)
    for entry in _registry.values():
        if issubclass(model, entry.index_page_class):
            return entry
    return None


def index_models() -> list[str]:
    return [entry.index_model for entry in _registry.values()]


def search_document_types() -> Iterator[SearchDocumentType]:
    for entry in _registry.values():
        yield from entry.search


def search_document_type_for(model: type) -> SearchDocumentType | None:
    """The search document type of pages of ``model`` (or of a model it extends), if any."""
    from django.apps import apps

    for entry in search_document_types():
        if issubclass(model, apps.get_model(entry.model)):
            return entry
    return None
