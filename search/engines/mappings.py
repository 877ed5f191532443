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


class PortalDocument(Document):
    page_id = Long()
    portal = Keyword()
    doc_type = Keyword()
    kind = Keyword()
    title = Text(
        analyzer=product_text,
        fields={"exact": Text(analyzer=exact_text), "raw": Keyword(ignore_above=256)},
    )
    title_suggest = SearchAsYouType(analyzer=exact_text)
    body = Text(analyzer=product_text, fields={"exact": Text(analyzer=exact_text)})
    category = Integer()
    categories = Integer(multi=True)
    region = Integer()
    price = ScaledFloat(scaling_factor=100)
    currency = Keyword()
    unit = Keyword()
    posted_at = Date()
    expires_on = Date()
    url = Keyword(index=False)


def index_definition(name: str) -> dict:
    """Settings and mappings for a new index called ``name``."""
    index = Index(name)
    index.settings(number_of_shards=1, number_of_replicas=0, refresh_interval="1s")
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
    return {
        "page_id": doc.page_id,
        "portal": doc.portal,
        "doc_type": doc.doc_type,
        "kind": doc.kind or None,
        "title": doc.title,
        "title_suggest": doc.title,
        "body": doc.body,
        "category": doc.category_id,
        "categories": category_ids(doc),
        "region": doc.region_id,
        "price": float(doc.price) if doc.price is not None else None,
        "currency": doc.currency or None,
        "unit": doc.unit or None,
        "posted_at": doc.posted_at.isoformat(),
        "expires_on": doc.expires_on.isoformat() if doc.expires_on else None,
        "url": doc.url,
    }
