"""The index of one portal: analyzers for product text and the fields search reads.

Built with elasticsearch-dsl; the same definition serves Elasticsearch 8 and OpenSearch 2.
"""

from elasticsearch_dsl import (
    Date,
    Document,
    Index,
    Integer,
    Keyword,
    Long,
    ScaledFloat,
    SearchAsYouType,
    Text,
    analyzer,
    token_filter,
)

# Product text: lower case, accents folded (``Stahl`` / ``stähle``), English stemming, and an
# unstemmed subfield for exact words and spelling suggestions.
english_stemmer = token_filter("english_stemmer", type="stemmer", language="light_english")
english_possessive = token_filter(
    "english_possessive", type="stemmer", language="possessive_english"
)
english_stop = token_filter("english_stop", type="stop", stopwords="_english_")
product_text = analyzer(
    "product_text",
    tokenizer="standard",
    filter=["lowercase", "asciifolding", english_possessive, english_stop, english_stemmer],
)
exact_text = analyzer("exact_text", tokenizer="standard", filter=["lowercase", "asciifolding"])


# Facet fields are keywords whose global ordinals are built when a refresh makes new documents
# visible, not by the first search after it (terms aggregations count by ordinal).
facet = {"eager_global_ordinals": True}


class PortalDocument(Document):
    page_id = Long()
    portal = Keyword(**facet)
    doc_type = Keyword(**facet)
    kind = Keyword(**facet)
    title = Text(
        analyzer=product_text,
        fields={"exact": Text(analyzer=exact_text), "raw": Keyword(ignore_above=256)},
    )
    title_suggest = SearchAsYouType(analyzer=exact_text)
    body = Text(analyzer=product_text, fields={"exact": Text(analyzer=exact_text)})
    category = Integer()
    categories = Keyword(multi=True, **facet)
    region = Keyword(**facet)
    price = ScaledFloat(scaling_factor=100)
    currency = Keyword()
    unit = Keyword()
    posted_at = Date()
    expires_on = Date()
    url = Keyword(index=False)


# How an index serves searches, and how a rebuild fills it before that: no refreshes (nothing
# searches it yet) and no replicas (copied once, at the end, instead of indexed twice).
# The translog is written through on every request when serving, in the background when
# filling (if the engine stops meanwhile, the rebuild fails and starts again anyway).
SERVING_SETTINGS = {
    "refresh_interval": "1s",
    "number_of_replicas": 0,
    "translog.durability": "request",
}
FILLING_SETTINGS = {
    "refresh_interval": "-1",
    "number_of_replicas": 0,
    "translog.durability": "async",
}


def index_definition(name: str, filling: bool = False) -> dict:
    """Settings and mappings for a new index called ``name`` (``filling``: for a rebuild, to be
    switched to ``SERVING_SETTINGS`` once full)."""
    index = Index(name)
    index.settings(number_of_shards=1, **(FILLING_SETTINGS if filling else SERVING_SETTINGS))
    index.document(PortalDocument)
    return index.to_dict()


def category_ids(doc) -> list[int]:
    """The ids a category filter matches (set when the document was built, else stored)."""
    ids = getattr(doc, "category_ids", None)
    if ids is None:
        ids = [category.pk for category in doc.categories.all()]
    return sorted(ids)


def to_source(doc) -> dict:
    """A ``SearchDocument`` as the engine stores it."""
    region = doc.region_id
    return {
        "page_id": doc.page_id,
        "portal": doc.portal,
        "doc_type": doc.doc_type,
        "kind": doc.kind or None,
        "title": doc.title,
        "title_suggest": doc.title,
        "body": doc.body,
        "category": doc.category_id,
        "categories": [str(pk) for pk in category_ids(doc)],
        "region": str(region) if region is not None else None,
        "price": float(doc.price) if doc.price is not None else None,
        "currency": doc.currency or None,
        "unit": doc.unit or None,
        "posted_at": doc.posted_at.isoformat(),
        "expires_on": doc.expires_on.isoformat() if doc.expires_on else None,
        "url": doc.url,
    }
