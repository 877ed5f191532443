"""Elasticsearch 8 / OpenSearch 2: one index per portal behind an alias, queries built with
elasticsearch-dsl. Each search is two requests in one round trip: a page of hits, and the
counts (the total, and multi-select facets through filtered aggregations), which the engine
can cache."""

import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from elasticsearch_dsl import A, Q, Search

from ..models import SearchDocument
from ..query import PER_PAGE, POSTED, SearchQuery
from ..snippets import snippet
from .base import EngineUnavailable, Hit, Progress, RawResults, SearchEngine
from .mappings import SERVING_SETTINGS, index_definition, to_source
from .transport import Transport

TEXT_FIELDS = ["title^3", "title.exact^2", "body", "body.exact^0.5"]
FUZZY_FIELDS = ["title^3", "body"]
EXACT_FIELDS = ["title.exact^2", "body.exact^0.5"]
FACET_SIZE = 200
SORTS = {
    "relevance": ["_score", {"posted_at": "desc"}],
    "newest": [{"posted_at": "desc"}, {"page_id": "desc"}],
    "price_asc": [{"price": {"order": "asc", "missing": "_last"}}, {"posted_at": "desc"}],
    "price_desc": [{"price": {"order": "desc", "missing": "_last"}}, {"posted_at": "desc"}],
}


def scope(query: SearchQuery) -> Q:
    """The portals in scope, nothing past its expiry date. Dates are written out rather than
    relative to ``now``: the engine caches no request that reads the clock."""
    today = datetime.now(UTC).date().isoformat()
    not_expired = Q("bool", must_not=Q("exists", field="expires_on")) | Q(
        "range", expires_on={"gte": today}
    )
    return Q("terms", portal=list(query.portals)) & not_expired


def posted_since(days: int) -> str:
    """The start of a posting-date range, rounded up to the minute: the same for a minute's
    searches, so that their facet counts can come from the engine's request cache."""
    moment = datetime.now(UTC) - timedelta(days=days)
    if moment.second or moment.microsecond:
        moment = moment.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return moment.isoformat()


def price_range(bucket: tuple) -> dict:
    _, low, high, _ = bucket
    bounds = {}
    if low is not None:
        bounds["gte"] = low
    if high is not None:
        bounds["lt"] = high
    return bounds


def selections(query: SearchQuery) -> dict[str, Q]:
    """One filter per facet the visitor chose from; OR within it, AND between them."""
    chosen: dict[str, Q] = {}
    if query.portal_filter:
        chosen["portal"] = Q("terms", portal=list(query.portal_filter))
    if query.types:
        chosen["type"] = Q("terms", doc_type=list(query.types))
    if query.kinds:
        chosen["kind"] = Q("terms", kind=list(query.kinds))
    if query.categories:
        chosen["category"] = Q("terms", categories=list(query.categories))
    if query.regions:
        chosen["region"] = Q("terms", region=list(query.regions))
    if query.prices:
        chosen["price"] = Q(
            "bool",
            should=[Q("range", price=price_range(query.price_bucket(key))) for key in query.prices],
            minimum_should_match=1,
        )
    if query.posted:
        days = next(days for key, days, _ in POSTED if key == query.posted)
        chosen["posted"] = Q("range", posted_at={"gte": posted_since(days)})
    return chosen


def text_query(text: str) -> Q:
    """All words must match, in one field: with typos forgiven in the stemmed fields, or
    exactly (stop words too) in the unstemmed ones; exact phrases rank higher. ``multi_match``
    does not parse query syntax, so ``"}}`` or ``*:*`` are just (absent) words. Forgiving
    typos in the unstemmed fields as well found nothing more and cost up to four times as
    much (a long word's misspellings expanded in four term dictionaries)."""
    return Q(
        "bool",
        must=[
            Q(
                "bool",
                should=[
                    Q(
                        "multi_match",
                        query=text,
                        fields=FUZZY_FIELDS,
                        type="best_fields",
                        operator="and",
                        fuzziness="AUTO",
                        prefix_length=1,
                    ),
                    Q(
                        "multi_match",
                        query=text,
                        fields=EXACT_FIELDS,
                        type="best_fields",
                        operator="and",
                    ),
                ],
                minimum_should_match=1,
            )
        ],
        should=[Q("multi_match", query=text, fields=TEXT_FIELDS, type="phrase", boost=2)],
    )


def version_of(moment: datetime) -> int:
    """A document version: microseconds since the epoch of when it was built or removed."""
    return int(moment.timestamp() * 1_000_000)


FACET_FIELDS = {"portal": "portal", "type": "doc_type", "kind": "kind", "region": "region"}


class ElasticEngine(SearchEngine):
    external = True

    def __init__(
        self, url: str, prefix: str, known_portals: Callable[[], Iterable[str]] = tuple
    ) -> None:
        """``known_portals()``: every portal's name, for deletions of pages whose portal is
        unknown (they were deleted) and for moving a page out of other portals' indices."""
        self.url = url
        self.prefix = prefix
        self._known_portals = known_portals
        self._transport: Transport | None = None
        self._lock = threading.Lock()

    @property
    def transport(self) -> Transport:
        with self._lock:
            if self._transport is None:
                self._transport = Transport(self.url)
            return self._transport

    @property
    def name(self) -> str:
        return self.transport.distribution if self._transport else "elasticsearch"

    def alias(self, portal: str) -> str:
        return f"{self.prefix}-{portal}"

    def aliases(self, portals: Iterable[str]) -> str:
        return ",".join(self.alias(portal) for portal in portals)

    # Searching ------------------------------------------------------------------------

    def build(self, query: SearchQuery) -> tuple[Search, Search]:
        """Two searches the engine runs side by side: one page of hits (ranked, with their
        text for the snippets, without counting every match) and the counts (no hits: the
        total and every facet, which the engine's request cache keeps until the index
        changes)."""
        base = scope(query)
        matching = text_query(query.text) & base if query.text else Q("bool", filter=[base])
        chosen = selections(query)
        # The hits request has no aggregations: the selections filter its query itself (a
        # post_filter would be applied after matching, with no use of the filter cache).
        selected = Q("bool", must=[matching], filter=list(chosen.values())) if chosen else matching
        hits = (
            Search()
            .query(selected)
            .extra(track_total_hits=False, size=PER_PAGE, from_=query.offset)
        )
        # Snippets are cut here from the hits' text, as the database engine does, rather than
        # by the engine's highlighter: highlighting re-reads and re-analyses every hit's text
        # and took 40-60 of a two-word search's 80 ms at 100,000 documents.
        hits = hits.sort(*SORTS[query.sort]).source(["body"] if query.text else False)
        counts = Search().query(matching).extra(size=0, track_total_hits=False)
        counts.aggs.bucket(
            "selected", "filter", Q("bool", filter=list(chosen.values())) if chosen else Q()
        )
        for facet, agg in self.aggregations(query).items():
            others = [q for name, q in chosen.items() if name != facet]
            wrapper = A("filter", Q("bool", filter=others) if others else Q("match_all"))
            for name, inner in agg.items():
                wrapper.bucket(name, inner)
            counts.aggs.bucket(facet, wrapper)
        return hits, counts

    def aggregations(self, query: SearchQuery) -> dict[str, dict[str, A]]:
        aggs: dict[str, dict[str, A]] = {
            facet: {"values": A("terms", field=field, size=FACET_SIZE)}
            for facet, field in FACET_FIELDS.items()
            if facet != "portal" or len(query.portals) > 1
        }
        aggs["category"] = {"values": A("terms", field="categories", size=FACET_SIZE)}
        aggs["price"] = {
            "values": A(
                "range",
                field="price",
                keyed=True,
                ranges=[
                    {
                        "key": key,
                        **({"from": low} if low is not None else {}),
                        **({"to": high} if high is not None else {}),
                    }
                    for key, low, high, _ in query.price_buckets
                ],
            )
        }
        aggs["posted"] = {
            "values": A(
                "date_range",
                field="posted_at",
                keyed=True,
                ranges=[{"key": key, "from": posted_since(days)} for key, days, _ in POSTED],
            )
        }
        return aggs

    def search(self, query: SearchQuery) -> RawResults:
        return self.search_in(self.aliases(query.portals), query)

    def search_in(self, index: str, query: SearchQuery) -> RawResults:
        """``search`` on the named indices (a rebuild warms its new index up this way)."""
        if not re.search(r"\w", query.text):  # only operators or punctuation: no words to find
            query = replace(query, text="")
        hits, counts = self.build(query)
        found, counted = self.transport.msearch(
            [
                (index, {}, hits.to_dict()),
                (index, {"request_cache": True}, counts.to_dict()),
            ]
        )
        aggregations = counted.get("aggregations", {})
        total = aggregations.get("selected", {}).get("doc_count", 0)
        result = RawResults(
            hits=[
                Hit(
                    int(hit["_id"]),
                    snippet(hit.get("_source", {}).get("body") or "", query.text)
                    if query.text
                    else "",
                )
                for hit in found["hits"]["hits"]
            ],
            total=total,
            facets=self.facet_counts(
                {name: agg for name, agg in aggregations.items() if name != "selected"}
            ),
        )
        if total == 0 and query.text:  # spelling suggestions only when nothing matched
            spelling = (
                Search()
                .extra(size=0)
                .suggest(
                    "spelling", query.text, term={"field": "title.exact", "suggest_mode": "popular"}
                )
            )
            result.suggestions = self.suggestions(
                query, self.transport.search(index, spelling.to_dict())
            )
        return result

    @staticmethod
    def facet_counts(aggregations: dict) -> dict[str, dict[str, int]]:
        facets: dict[str, dict[str, int]] = {}
        for facet, agg in aggregations.items():
            values = agg["values"]["buckets"]
            if isinstance(values, dict):  # keyed ranges
                counts = {key: bucket["doc_count"] for key, bucket in values.items()}
            else:
                counts = {str(bucket["key"]): bucket["doc_count"] for bucket in values}
            facets[facet] = {key: n for key, n in counts.items() if n}
        return facets

    @staticmethod
    def suggestions(query: SearchQuery, response: dict) -> list[str]:
        words, changed = [], False
        for entry in response.get("suggest", {}).get("spelling", []):
            options = entry.get("options") or []
            if options:
                words.append(options[0]["text"])
                changed = True
            else:
                words.append(entry["text"])
        return [" ".join(words)] if changed else []

    def autocomplete(self, text: str, portals: tuple[str, ...], limit: int = 8) -> list[int]:
        search = (
            Search()
            .query(
                Q(
                    "multi_match",
                    query=text,
                    type="bool_prefix",
                    fields=["title_suggest", "title_suggest._2gram", "title_suggest._3gram"],
                )
                & scope(SearchQuery(portals=portals))
            )
            .source(False)
            .extra(size=limit)
        )
        response = self.transport.search(self.aliases(portals), search.to_dict())
        return [int(hit["_id"]) for hit in response["hits"]["hits"]]

    # Writing --------------------------------------------------------------------------

    def ensure_index(self, portal: str) -> None:
        """The portal's alias, with an empty index behind it the first time. The first index
        has a fixed name, so two processes doing this at once create it only once."""
        alias = self.alias(portal)
        if not self.transport.indices_of(alias):
            name = f"{alias}-000001"
            self.transport.create_index(name, index_definition(name), exist_ok=True)
            self.transport.update_aliases([{"add": {"index": name, "alias": alias}}])

    def new_index_name(self, portal: str) -> str:
        return f"{self.alias(portal)}-{datetime.now(UTC):%Y%m%d%H%M%S%f}"

    @staticmethod
    def index_action(index: str, doc: SearchDocument) -> dict:
        return {
            "_op_type": "index",
            "_index": index,
            "_id": doc.page_id,
            "version": version_of(doc.updated_at),
            "version_type": "external_gte",
            "_source": to_source(doc),
        }

    def delete_action(self, portal: str, page_id: int, version: int) -> dict:
        return {
            "_op_type": "delete",
            "_index": self.alias(portal),
            "_id": page_id,
            "version": version,
            "version_type": "external_gte",
        }

    def known_portals(self) -> set[str]:
        return set(self._known_portals())

    def index(self, docs: list[SearchDocument]) -> None:
        """Add or replace documents. Each carries its version (when it was built), so an older
        copy arriving late never overwrites a newer one; a page that moved to another portal
        leaves the other portals' indices."""
        if not docs:
            return
        portals = self.known_portals() | {doc.portal for doc in docs}
        for portal in portals:
            self.ensure_index(portal)

        def actions():
            for doc in docs:
                yield self.index_action(self.alias(doc.portal), doc)
                for other in portals - {doc.portal}:
                    yield self.delete_action(other, doc.page_id, version_of(doc.updated_at))

        self.transport.bulk(actions())

    def delete(self, page_ids: list[int], portal: str | None = None, at=None) -> None:
        """Remove pages from one portal's index, or from every portal's (a deleted page's
        portal is unknown). ``at``: when the removal happened; newer copies stay."""
        if not page_ids:
            return
        version = version_of(at or datetime.now(UTC))
        portals = [portal] if portal else sorted(self.known_portals())
        # Only where the portal's index exists: a delete sent to a missing alias would make the
        # engine create an index of that name, which then blocks the alias.
        portals = [name for name in portals if self.transport.indices_of(self.alias(name))]
        self.transport.bulk(
            self.delete_action(name, page_id, version) for name in portals for page_id in page_ids
        )

    def rebuild(self, portal: str, docs: Iterable[SearchDocument], progress: Progress) -> int:
        """A new index, filled, then the alias moved to it in one step (no downtime).

        The new index is filled without refreshes or replicas, several bulk requests at a
        time; then it gets its serving settings back, is refreshed and warmed up by a search
        (so that the first visitor's is not the slow one), and only then takes the alias."""
        alias = self.alias(portal)
        name = self.new_index_name(portal)
        self.transport.create_index(name, index_definition(name, filling=True))
        count = 0

        def actions():
            nonlocal count
            for doc in docs:
                count += 1
                progress(1)
                yield self.index_action(name, doc)

        try:
            self.transport.parallel_bulk(actions())
            self.transport.put_settings(name, SERVING_SETTINGS)
            # Filled with an asynchronous translog: on disk before it serves, or a crash soon
            # after the swap would lose what it was filled with.
            self.transport.flush(name)
            self.transport.refresh(name)
            self.warm_up(name, portal)
        except EngineUnavailable:
            self.transport.delete_index(name)
            raise
        old = self.transport.indices_of(alias)
        self.transport.update_aliases(
            [{"remove": {"index": index, "alias": alias}} for index in old]
            + [{"add": {"index": name, "alias": alias}}]
        )
        # The indices it replaces, and any an interrupted rebuild left half-filled.
        for index in {*old, *self.portal_indices(portal)} - {name}:
            self.transport.delete_index(index)
        return count

    def warm_up(self, index: str, portal: str) -> None:
        """Searches a new index answers before it serves: every facet, a text search."""
        self.search_in(index, SearchQuery(portals=(portal,)))
        self.search_in(index, SearchQuery(text="a", portals=(portal,), sort="newest"))

    def portal_indices(self, portal: str) -> set[str]:
        """Every index this engine made for the portal, aliased or not."""
        alias = self.alias(portal)
        mine = re.compile(rf"{re.escape(alias)}-\d{{20}}")
        found = self.transport.indices_matching(f"{alias}-*")
        return {index for index in found if mine.fullmatch(index)}

    def abandoned_indices(self, portal: str) -> set[str]:
        """Indices of the portal no alias points at: what a rebuild left half-filled when the
        engine went away in the middle of it."""
        return self.portal_indices(portal) - set(self.transport.indices_of(self.alias(portal)))

    def document_ids(self, portal: str) -> set[int]:
        return set(self.transport.scan_ids(self.alias(portal)))

    def refresh(self, portals: Iterable[str]) -> None:
        self.transport.refresh(self.aliases(portals))

    def ping(self) -> bool:
        try:
            return self.transport.ping()
        except EngineUnavailable:
            return False
