"""The embedded engine: search documents in the database, full text through Wagtail's
modelsearch (SQLite FTS5, PostgreSQL full text), facets as SQL aggregates."""

import difflib
import operator
import re
from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from functools import reduce

from django.db.models import Case, Count, F, Q, QuerySet, Value, When
from wagtail.search.backends import get_search_backend

from ..models import SearchDocument
from ..query import MAX_QUERY_LENGTH, PER_PAGE, POSTED, SearchQuery, since
from ..snippets import snippet, terms_of
from .base import Hit, Progress, RawResults, SearchEngine


def scope(query: SearchQuery) -> Q:
    """What any search may return: the portals in scope, nothing past its expiry date."""
    return Q(portal__in=query.portals) & (
        Q(expires_on__isnull=True) | Q(expires_on__gte=date.today())
    )


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


def title_score(text: str):
    """3 per query word in the title, 1 more when the title starts with it."""
    terms = re.findall(r"\w+", text)[:10]
    score = Value(0)
    for term in terms:
        score = score + Case(When(title__icontains=term, then=Value(3)), default=Value(0))
    if terms:
        score = score + Case(When(title__istartswith=terms[0], then=Value(1)), default=Value(0))
    return score


def words(text: str) -> str:
    """The query's words only: full-text syntax of the database (quotes, operators, ``*``)
    would otherwise be parsed, and fail, on input such as ``"}}`` or ``*:*``."""
    return " ".join(re.findall(r"\w+", text))[:MAX_QUERY_LENGTH]


class DatabaseEngine(SearchEngine):
    name = "database"

    def search(self, query: SearchQuery) -> RawResults:
        return self._search(replace(query, text=words(query.text)))

    def _matching(self, query: SearchQuery) -> QuerySet:
        """Documents in scope that match the text (all of its words)."""
        base = SearchDocument.objects.filter(scope(query))
        if not query.text:
            return base
        results = get_search_backend().search(
            query.text, base, operator="and", order_by_relevance=False
        )
        matched = results.get_queryset().order_by().values_list("pk", flat=True)
        # The full-text match runs once; a small result set is reused by value in the count,
        # page and facet queries, a large one as a subquery.
        ids = list(matched[: INLINE_IDS + 1])
        return SearchDocument.objects.filter(pk__in=ids if len(ids) <= INLINE_IDS else matched)

    def _search(self, query: SearchQuery) -> RawResults:
        matching = self._matching(query)
        selected = matching.filter(filters(query))
        total = selected.count()
        hits = self._page(query, selected)
        return RawResults(
            hits=[Hit(doc.page_id, snippet(doc.body, query.text)) for doc in hits],
            total=total,
            facets=self._facets(query, matching),
            suggestions=self._suggest(query) if total == 0 and query.text else [],
        )

    def _page(self, query: SearchQuery, selected: QuerySet) -> list[SearchDocument]:
        window = slice(query.offset, query.offset + PER_PAGE)
        if query.sort == "relevance" and query.text:
            # Ranking by the backend's own score re-runs the match per row (minutes at 100k
            # documents on SQLite); words found in the title are a good, cheap proxy.
            selected = selected.annotate(score=title_score(query.text)).order_by(
                "-score", "-posted_at", "-pk"
            )
            return list(selected[window])
        return list(selected.order_by(*ORDERING[query.sort])[window])

    def _facets(self, query: SearchQuery, matching: QuerySet) -> dict[str, dict[str, int]]:
        def counts(facet: str, field: str) -> dict[str, int]:
            rows = (
                matching.filter(filters(query.without(facet)))
                .exclude(**{f"{field}__isnull": True})
                .exclude(**{field: ""} if field in ("kind", "portal", "doc_type") else {})
                .values(field)
                .annotate(n=Count("pk"))
            )
            return {str(row[field]): row["n"] for row in rows}

        facets = {
            "type": counts("type", "doc_type"),
            "kind": counts("kind", "kind"),
            "region": counts("region", "region_id"),
            "category": counts("category", "categories"),
        }
        if len(query.portals) > 1:
            facets["portal"] = counts("portal", "portal")
        priced = matching.filter(filters(query.without("price")))
        by_index = {f"b{index}": bucket[0] for index, bucket in enumerate(query.price_buckets)}
        facets["price"] = {
            by_index[key]: n
            for key, n in priced.aggregate(
                **{
                    f"b{index}": Count("pk", filter=price_q(bucket))
                    for index, bucket in enumerate(query.price_buckets)
                }
            ).items()
            if n
        }
        dated = matching.filter(filters(query.without("posted")))
        posted = dated.aggregate(
            **{key: Count("pk", filter=Q(posted_at__gte=since(key))) for key, *_ in POSTED}
        )
        facets["posted"] = {key: n for key, n in posted.items() if n}
        return facets

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
        base = SearchDocument.objects.filter(scope(SearchQuery(portals=portals)))
        text = words(text)
        if not text:
            return []
        results = get_search_backend().autocomplete(text, base, order_by_relevance=False)
        matched = results.get_queryset().order_by().values_list("pk", flat=True)
        best = (
            SearchDocument.objects.filter(pk__in=matched)
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
