"""Loading many pages at once as their specific types, with what their search documents (and
their pages, which show the same things) read: a handful of queries per batch, not per page."""

from collections.abc import Callable, Hashable, Iterable
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from wagtail.models import Page

from portal.rendering import per_build, remembered

from .sections import search_document_type_for

K = TypeVar("K", bound=Hashable)
M = TypeVar("M", bound=Model)


def related_lookups(model: type[Page]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``(select_related, prefetch_related)`` declared for ``model`` or a model it extends."""
    document_type = search_document_type_for(model)
    if document_type is None:
        return (), ()
    return document_type.select_related, document_type.prefetch_related


def load_pages(page_ids: list[int]) -> dict[int, Page]:
    """The specific pages of ``page_ids``, by id."""
    by_type: dict[int, list[int]] = {}
    for pk, content_type in Page.objects.filter(pk__in=page_ids).values_list("pk", "content_type"):
        by_type.setdefault(content_type, []).append(pk)
    pages: dict[int, Page] = {}
    for content_type, ids in by_type.items():
        model = ContentType.objects.get_for_id(content_type).model_class() or Page
        related, prefetch = related_lookups(model)
        queryset = model._default_manager.filter(pk__in=ids)
        pages.update(
            (page.pk, page)
            for page in queryset.select_related(*related).prefetch_related(*prefetch)
        )
    return pages


def loaded_once(
    request: HttpRequest | None,
    key: Any,
    queryset: QuerySet[M],
    ids: list,
    every: Callable[[], QuerySet[M]] | None = None,
) -> list[M]:
    """The rows of ``queryset`` with these ids, in their order (those it no longer holds left
    out). A static build loads each once under ``key`` and keeps it for every page that shows
    it; any other request reads them. ``every()``: the rows such requests ask for (a
    section's whole listing), loaded in one go once a bulk build has asked often enough
    (``per_build``) instead of a query per page."""
    kept = remembered(request, key, dict)
    if every is not None:

        def load_every() -> bool:
            kept.update((row.pk, row) for row in every())
            return True

        per_build(request, (key, "every"), load_every)
    missing = [pk for pk in ids if pk not in kept]
    if missing:
        kept.update((row.pk, row) for row in queryset.filter(pk__in=missing))
    return [kept[pk] for pk in ids if pk in kept]


class Deferred:
    """A row known by its id and model, read the first time it is asked anything else: a
    list of a static build whose cards were carried from an earlier build (see
    ``rendering.kept_fragment``) needs no more of most of its items."""

    __slots__ = ("_meta", "_read", "_row", "pk")

    def __init__(self, pk: Any, model: type[Model], read: Callable[[], Model]) -> None:
        self.pk, self._meta, self._read, self._row = pk, model._meta, read, None

    def __getattr__(self, name: str) -> Any:
        if self._row is None:
            self._row = self._read()
        return getattr(self._row, name)


def deferred_rows(
    request: HttpRequest | None,
    key: Any,
    queryset: QuerySet[M],
    ids: list,
    every: Callable[[], QuerySet[M]] | None = None,
) -> list:
    """``loaded_once(...)`` of these ids, each row read only when something asks for more
    than its id and model (then one query per row, or the rows already loaded)."""

    def read(pk: Any) -> Callable[[], M]:
        def row() -> M:
            (found,) = loaded_once(request, key, queryset, [pk], every) or [None]
            if found is None:
                raise LookupError(f"{queryset.model.__name__} {pk} left the list")
            return found

        return row

    return [Deferred(pk, queryset.model, read(pk)) for pk in ids]


def first_of_each(rows: Iterable[tuple[K, Any]], count: int) -> dict[K, list[Any]]:
    """``(key, value)`` rows, in order, as ``{key: its first count values}``: what many
    pages show (a company's newest listings) from one query for all of them."""
    found: dict[K, list[Any]] = {}
    for key, value in rows:
        values = found.setdefault(key, [])
        if len(values) < count:
            values.append(value)
    return found


IN_BATCH = 500  # ids per query: well under any database's limit on parameters


def rows_of_each(ids_of_each: dict[K, list], queryset: QuerySet[M]) -> dict[K, list[M]]:
    """``{key: its ids}`` (what ``first_of_each`` gives) as ``{key: its rows of queryset}``,
    loaded together: a query per ``IN_BATCH`` ids, not one per key."""
    ids = [pk for pks in ids_of_each.values() for pk in pks]
    rows: dict[Any, M] = {}
    for start in range(0, len(ids), IN_BATCH):
        rows.update((row.pk, row) for row in queryset.filter(pk__in=ids[start : start + IN_BATCH]))
    return {key: [rows[pk] for pk in pks if pk in rows] for key, pks in ids_of_each.items()}
