"""The embedded engine: search documents in the database, full text through Wagtail's
modelsearch (SQLite FTS5, PostgreSQL full text), facets as SQL aggregates."""

import difflib
import operator
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date
from functools import reduce
from typing import NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    DateField,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual
from wagtail.search.backends import get_search_backend

from ..models import SearchDocument
from ..query import MAX_QUERY_LENGTH, PER_PAGE, POSTED, SearchQuery, since
from ..snippets import snippet, terms_of
from . import fulltext
from .base import Hit, Progress, RawResults, SearchEngine


def scope(query: SearchQuery) -> Q:
    """What any search may return: the portals in scope, nothing past its expiry date.

    The expiry test is one comparison, not ``IS NULL OR >=``: SQLite answers that OR with two
    lookups of the expiry index and a row read for each match, four times slower than a scan
    at 100,000 documents (210 against 50 ms for a count)."""
    not_expired = GreaterThanOrEqual(
        Coalesce("expires_on", Value(date.max), output_field=DateField()), date.today()
    )
    return Q(portal__in=query.portals) & Q(not_expired)


def in_scope_count(query: SearchQuery) -> int:
    """How many documents are in scope, from the portal and expiry indexes (a count through
    ``scope`` reads every document's row)."""
    in_portals = SearchDocument.objects.filter(portal__in=query.portals)
    return in_portals.count() - in_portals.filter(expires_on__lt=date.today()).count()


def price_q(bucket: tuple) -> Q:
    _, low, high, _ = bucket
    q = Q(price__isnull=False)
    if low is not None:
        q &= Q(price__gte=low)
    if high is not None:
        q &= Q(price__lt=high)
    return q


def filters(query: SearchQuery) -> Q:
    """The visitor's selections: OR within a facet, AND across facets."""
    q = Q()
    if query.portal_filter:
        q &= Q(portal__in=query.portal_filter)
    if query.types:
        q &= Q(doc_type__in=query.types)
    if query.kinds:
        q &= Q(kind__in=query.kinds)
    if query.categories:
        q &= Q(
            pk__in=SearchDocument.categories.through.objects.filter(
                category_id__in=query.categories
            ).values("searchdocument_id")
        )
    if query.regions:
        q &= Q(region_id__in=query.regions)
    if query.prices:
        q &= reduce(operator.or_, (price_q(query.price_bucket(key)) for key in query.prices))
    if since := query.posted_since():
        q &= Q(posted_at__gte=since)
    return q


ORDERING = {  # documents without a price come last when sorting by price
    "newest": ("-posted_at", "-pk"),
    "price_asc": (F("price").asc(nulls_last=True), "-posted_at", "-pk"),
    "price_desc": (F("price").desc(nulls_last=True), "-posted_at", "-pk"),
    "relevance": ("-posted_at", "-pk"),
}


INLINE_IDS = 2000
# Facets are counted over every matching document up to this many, over an even sample of
# about this many beyond (documents whose page id hashes below a share of the modulus).
FACET_SAMPLE = 2500
SAMPLE_FACTOR = 7919
SAMPLE_MODULUS = 10007
SAMPLE_SLOT = f'("search_searchdocument"."page_id" * {SAMPLE_FACTOR}) %% {SAMPLE_MODULUS}'


class FacetRow(NamedTuple):
    """What facets count of one document. Prices and posting dates come as the number of
    their price range and posting-date range, worked out by the database: no decimals or
    dates to convert for each row."""

    pk: int
    portal: str
    doc_type: str
    kind: str
    region_id: int | None
    price_range: int | None  # index into the query's price buckets
    posted_within: int | None  # days of the narrowest posting-date range it is in
    categories: tuple[int, ...]

    @classmethod
    def read(cls, query: SearchQuery, documents: QuerySet) -> list["FacetRow"]:
        """The facet fields of ``documents``: one query, and one for their categories."""
        price_range = Case(
            *(
                When(price_q(bucket), then=Value(index))
                for index, bucket in enumerate(query.price_buckets)
            ),
            default=Value(None),
            output_field=IntegerField(),
        )
        posted_within = Case(
            *(When(posted_at__gte=since(key), then=Value(days)) for key, days, _ in POSTED),
            default=Value(None),
            output_field=IntegerField(),
        )
        fields = documents.order_by().annotate(price_range=price_range, posted_within=posted_within)
        # Every value is a number or a string as the database gives it: read without the
        # ORM's per-row conversions (up to 2,500 rows, the largest read of a search).
        try:
            sql, params = fields.values_list(
                "pk", "portal", "doc_type", "kind", "region_id", "price_range", "posted_within"
            ).query.sql_with_params()
        except EmptyResultSet:  # nothing can match, e.g. no ids
            return []
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        families: dict[int, list[int]] = {}
        if rows:
            # The ids are integers read from the database: written into the SQL as they are,
            # which is much cheaper than thousands of parameters.
            through = SearchDocument.categories.through._meta.db_table
            ids = ",".join(str(int(row[0])) for row in rows)
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT searchdocument_id, category_id FROM {through} "
                    f"WHERE searchdocument_id IN ({ids})"
                )
                for doc_id, category_id in cursor.fetchall():
                    families.setdefault(doc_id, []).append(category_id)
        return [cls(*row, tuple(families.get(row[0], ()))) for row in rows]


COUNTED = ("portal", "type", "kind", "region", "category", "price", "posted")


class Facets:
    """Facet counts and the total over rows read once, with the same rules as the queries:
    OR within a facet, AND across facets, and each multi-select facet counted as if nothing
    were chosen in it."""

    def __init__(self, query: SearchQuery, rows: list[FacetRow]) -> None:
        self.query = query
        self.rows = rows

    def checks(self) -> dict[str, Callable[[FacetRow], bool]]:
        """For each facet with a selection: does a row pass it."""
        query, checks = self.query, {}
        if query.portal_filter:
            checks["portal"] = lambda row: row.portal in query.portal_filter
        if query.types:
            checks["type"] = lambda row: row.doc_type in query.types
        if query.kinds:
            checks["kind"] = lambda row: row.kind in query.kinds
        if query.categories:
            chosen = set(query.categories)
            checks["category"] = lambda row: not chosen.isdisjoint(row.categories)
        if query.regions:
            checks["region"] = lambda row: row.region_id in query.regions
        if query.prices:
            ranges = {
                index
                for index, bucket in enumerate(query.price_buckets)
                if bucket[0] in query.prices
            }
            checks["price"] = lambda row: row.price_range in ranges
        if query.posted:
            days = next(days for key, days, _ in POSTED if key == query.posted)
            checks["posted"] = lambda row: (
                row.posted_within is not None and row.posted_within <= days
            )
        return checks

    def counts(self) -> tuple[dict[str, dict[str, int]], int]:
        """``(facets, total)``. A row that passes every selection counts in every facet; one
        that fails exactly one facet's selection counts in that facet only."""
        checks = self.checks()
        passing: list[FacetRow] = []
        failing_one: dict[str, list[FacetRow]] = {name: [] for name in checks}
        for row in self.rows:
            failed = [name for name, check in checks.items() if not check(row)]
            if not failed:
                passing.append(row)
            elif len(failed) == 1:
                failing_one[failed[0]].append(row)
        names = [name for name in COUNTED if name != "portal" or len(self.query.portals) > 1]
        facets = {name: self.count(name, passing + failing_one.get(name, [])) for name in names}
        return facets, len(passing)

    def count(self, name: str, rows: list[FacetRow]) -> dict[str, int]:
        if name == "portal":
            counts = Counter(row.portal for row in rows)
        elif name == "type":
            counts = Counter(row.doc_type for row in rows)
        elif name == "kind":
            counts = Counter(row.kind for row in rows)
        elif name == "region":
            counts = Counter(str(row.region_id) for row in rows if row.region_id is not None)
        elif name == "category":
            counts = Counter(str(pk) for row in rows for pk in row.categories)
        elif name == "price":
            ranges = Counter(row.price_range for row in rows)
            counts = Counter(
                {
                    bucket[0]: ranges[index]
                    for index, bucket in enumerate(self.query.price_buckets)
                    if ranges[index]
                }
            )
        else:  # posted: a row within a narrower range is also within the wider ones
            within = Counter(row.posted_within for row in rows)
            counts = Counter(
                {
                    key: sum(n for narrow, n in within.items() if narrow and narrow <= days)
                    for key, days, _ in POSTED
                }
            )
        return {value: n for value, n in counts.items() if n and value not in ("", None)}


def with_ids(ids: list[int]) -> Q:
    """Documents of these page ids: as parameters when they are few, else written into the
    SQL (integers from the database), which has no limit on their number."""
    if len(ids) <= INLINE_IDS:
        return Q(pk__in=ids)
    listed = ",".join(str(int(pk)) for pk in ids)
    return Q(RawSQL(f'"search_searchdocument"."page_id" IN ({listed})', (), BooleanField()))


def title_score(text: str, portals: tuple[str, ...] = ()):
    """3 per query word in the title, 1 more when the title starts with the first one. With
    ``portals``, words are the full-text index's words, looked up in it (a title read and
    scanned for each matching document took 150-300 ms for a common word at 100,000)."""
    terms = re.findall(r"\w+", text)[:10]
    if portals:
        in_title = [fulltext.matching([term], portals, "title") for term in terms]
        first = terms and fulltext.matching(terms[:1], portals, "title", first=True)
    else:
        in_title = [Q(title__icontains=term) for term in terms]
        first = terms and Q(title__istartswith=terms[0])
    score = Value(0)
    for condition in in_title:
        score = score + Case(When(condition, then=Value(3)), default=Value(0))
    if first:
        score = score + Case(When(first, then=Value(1)), default=Value(0))
    return score


def words(text: str) -> str:
    """The query's words only: full-text syntax of the database (quotes, operators, ``*``)
    would otherwise be parsed, and fail, on input such as ``"}}`` or ``*:*``."""
    return " ".join(re.findall(r"\w+", text))[:MAX_QUERY_LENGTH]


class DatabaseEngine(SearchEngine):
    name = "database"

    def search(self, query: SearchQuery) -> RawResults:
        return self._search(replace(query, text=words(query.text)))

    def _matching(self, query: SearchQuery, indexed: bool) -> tuple[QuerySet, list[int] | None]:
        """Documents in scope that match the text (all of its words), and their ids when
        there is a text to match."""
        base = SearchDocument.objects.filter(scope(query))
        if not query.text:
            return base, None
        if indexed:
            terms = query.text.split()
            ids = fulltext.matches(terms, query.portals, date.today())
            if not ids:  # nothing to count, list or sort
                return base.none(), ids
            return base.filter(fulltext.matching(terms, query.portals)), ids
        # The full-text backend takes plain field filters only: the expiry test is added to
        # the query it makes.
        results = get_search_backend().search(
            query.text,
            SearchDocument.objects.filter(portal__in=query.portals),
            operator="and",
            order_by_relevance=False,
        )
        matched = results.get_queryset().filter(scope(query)).order_by()
        # The full-text match runs once (100-200 ms for a common word at 100,000 documents
        # on SQLite); the count, page and facet queries reuse its ids.
        ids = list(matched.values_list("pk", flat=True))
        return base.filter(with_ids(ids)), ids

    def _search(self, query: SearchQuery) -> RawResults:
        # Whether the text is matched on the engine's own full-text index: asked once.
        indexed = bool(query.text) and fulltext.available()
        matching, ids = self._matching(query, indexed)
        selected = matching.filter(filters(query))
        size = in_scope_count(query) if ids is None else len(ids)
        rows = self._rows(query, matching, ids, size)
        facets, sample_total = Facets(query, rows).counts()
        scale = size / max(1, len(rows)) if size > len(rows) else 0
        if scale:  # a sample: the facets are estimates, the total is counted
            facets = {
                name: {value: max(1, round(n * scale)) for value, n in counts.items()}
                for name, counts in facets.items()
            }
            total = selected.count() if query.is_filtered else size
        else:
            total = sample_total
        hits = self._page(query, selected, indexed) if total else []
        return RawResults(
            hits=[Hit(doc.page_id, snippet(doc.body, query.text)) for doc in hits],
            total=total,
            facets=facets,
            suggestions=self._suggest(query) if total == 0 and query.text else [],
            approximate=bool(scale),
        )

    def _rows(
        self, query: SearchQuery, matching: QuerySet, ids: list[int] | None, size: int
    ) -> list[FacetRow]:
        """What the facets are counted from: the facet fields of every matching document,
        or, past ``FACET_SAMPLE`` documents, of an even sample of about that many (whose
        counts are then scaled up to the ``size`` of the whole).

        Grouped counts over every match, one query per facet, took 1-1.4 s at 100,000
        listings on SQLite; a sample is read in one query and counted here."""
        if size <= FACET_SAMPLE:
            return FacetRow.read(query, matching)
        share = max(1, -(-FACET_SAMPLE * SAMPLE_MODULUS // size))
        if ids is None:  # chosen from the portal index, without reading the documents' rows
            sample = (
                SearchDocument.objects.filter(portal__in=query.portals)
                .annotate(sample_slot=RawSQL(SAMPLE_SLOT, ()))
                .filter(sample_slot__lt=share)
                .values_list("pk", flat=True)
            )
            return FacetRow.read(query, matching.filter(with_ids(list(sample))))
        chosen = [pk for pk in ids if pk * SAMPLE_FACTOR % SAMPLE_MODULUS < share]
        return FacetRow.read(query, SearchDocument.objects.filter(with_ids(chosen)))

    def _page(self, query: SearchQuery, selected: QuerySet, indexed: bool) -> list[SearchDocument]:
        window = slice(query.offset, query.offset + PER_PAGE)
        if query.sort == "relevance" and query.text:
            # Ranking by the backend's own score re-runs the match per row (minutes at 100k
            # documents on SQLite); words found in the title are a good, cheap proxy.
            portals = query.portals if indexed else ()
            selected = selected.annotate(score=title_score(query.text, portals)).order_by(
                "-score", "-posted_at", "-pk"
            )
            return list(selected[window])
        return list(selected.order_by(*ORDERING[query.sort])[window])

    def _suggest(self, query: SearchQuery) -> list[str]:
        """Close spellings of the query's words, from the titles in scope."""
        vocabulary: set[str] = set()
        titles = SearchDocument.objects.filter(scope(query)).values_list("title", flat=True)
        for title in titles[:5000]:
            vocabulary.update(word.lower() for word in title.split() if word.isalpha())
        fixed, changed = [], False
        for term in terms_of(query.text):
            close = difflib.get_close_matches(term, vocabulary, n=1, cutoff=0.75)
            if close and close[0] != term:
                fixed.append(close[0])
                changed = True
            else:
                fixed.append(term)
        return [" ".join(fixed)] if changed else []

    def autocomplete(self, text: str, portals: tuple[str, ...], limit: int = 8) -> list[int]:
        text = words(text)
        if not text:
            return []
        results = get_search_backend().autocomplete(
            text, SearchDocument.objects.filter(portal__in=portals), order_by_relevance=False
        )
        matched = results.get_queryset().order_by().values_list("pk", flat=True)
        best = (
            SearchDocument.objects.filter(scope(SearchQuery(portals=portals)), pk__in=matched)
            .annotate(score=title_score(text))
            .order_by("-score", "title")
            .values_list("page_id", flat=True)
        )
        return list(best[:limit])

    # The documents are the index: nothing to send anywhere.
    def index(self, docs: list[SearchDocument]) -> None:
        return None

    def delete(self, page_ids: list[int], portal: str | None = None, at=None) -> None:
        return None

    def rebuild(self, portal: str, docs: Iterable[SearchDocument], progress: Progress) -> int:
        count = 0
        for _ in docs:
            count += 1
            progress(1)
        return count

    def document_ids(self, portal: str) -> set[int]:
        return set(SearchDocument.objects.filter(portal=portal).values_list("page_id", flat=True))
