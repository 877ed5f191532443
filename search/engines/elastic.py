"""Elasticsearch 8 / OpenSearch 2: one index per portal behind an alias, queries built with
elasticsearch-dsl, multi-select facets through filtered aggregations and a post_filter."""

import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, datetime

from elasticsearch_dsl import A, Q, Search

from ..models import SearchDocument
from ..query import PER_PAGE, POSTED, SearchQuery
from .base import EngineUnavailable, Hit, Progress, RawResults, SearchEngine
from .mappings import index_definition, to_source
from .transport import Transport

TEXT_FIELDS = ["title^3", "title.exact^2", "body", "body.exact^0.5"]
FACET_SIZE = 200
SORTS = {
    "relevance": ["_score", {"posted_at": "desc"}],
    "newest": [{"posted_at": "desc"}, {"page_id": "desc"}],
    "price_asc": [{"price": {"order": "asc", "missing": "_last"}}, {"posted_at": "desc"}],
    "price_desc": [{"price": {"order": "desc", "missing": "_last"}}, {"posted_at": "desc"}],
}


def scope(query: SearchQuery) -> Q:
    """The portals in scope, nothing past its expiry date."""
    not_expired = Q("bool", must_not=Q("exists", field="expires_on")) | Q(
        "range", expires_on={"gte": "now/d"}
    )
    return Q("terms", portal=list(query.portals)) & not_expired


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
        chosen["posted"] = Q("range", posted_at={"gte": f"now-{days}d"})
    return chosen


def text_query(text: str) -> Q:
    """All words must match (typos forgiven); exact phrases rank higher. ``multi_match`` does
    not parse query syntax, so ``"}}`` or ``*:*`` are just (absent) words."""
    return Q(
        "bool",
        must=[
            Q(
                "multi_match",
                query=text,
                fields=TEXT_FIELDS,
                type="best_fields",
                operator="and",
                fuzziness="AUTO",
                prefix_length=1,
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

    def build(self, query: SearchQuery) -> Search:
        search = Search().extra(track_total_hits=True, size=PER_PAGE, from_=query.offset)
        base = scope(query)
        if query.text:
            search = search.query(text_query(query.text) & base)
        else:
            search = search.query(Q("bool", filter=[base]))
        chosen = selections(query)
        if chosen:
            search = search.post_filter(Q("bool", filter=list(chosen.values())))
        for facet, agg in self.aggregations(query).items():
            others = [q for name, q in chosen.items() if name != facet]
            wrapper = A("filter", Q("bool", filter=others) if others else Q("match_all"))
            for name, inner in agg.items():
                wrapper.bucket(name, inner)
            search.aggs.bucket(facet, wrapper)
        search = search.sort(*SORTS[query.sort]).source(False)
        if query.text:
            search = search.highlight_options(
                encoder="html",
                pre_tags=["<mark>"],
                post_tags=["</mark>"],
                fragment_size=220,
                number_of_fragments=1,
                no_match_size=220,
            ).highlight("body")
            search = search.suggest(
                "spelling", query.text, term={"field": "title.exact", "suggest_mode": "popular"}
            )
        return search

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
                ranges=[{"key": key, "from": f"now-{days}d"} for key, days, _ in POSTED],
            )
        }
        return aggs

    def search(self, query: SearchQuery) -> RawResults:
        if not re.search(r"\w", query.text):  # only operators or punctuation: no words to find
            query = replace(query, text="")
        body = self.build(query).to_dict()
        response = self.transport.search(self.aliases(query.portals), body)
        hits = [
            Hit(int(hit["_id"]), (hit.get("highlight", {}).get("body") or [""])[0])
            for hit in response["hits"]["hits"]
        ]
        total = response["hits"]["total"]["value"]
        return RawResults(
            hits=hits,
            total=total,
            facets=self.facet_counts(response.get("aggregations", {})),
            suggestions=self.suggestions(query, response) if total == 0 else [],
        )

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
        """A new index, filled, then the alias moved to it in one step (no downtime)."""
        alias = self.alias(portal)
        name = self.new_index_name(portal)
        self.transport.create_index(name, index_definition(name))
        count = 0

        def actions():
            nonlocal count
            for doc in docs:
                count += 1
                progress(1)
                yield self.index_action(name, doc)

        try:
            self.transport.bulk(actions())
            self.transport.refresh(name)
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
