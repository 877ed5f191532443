"""One contract, every engine: the same searches give the same answers on the database engine,
Elasticsearch and OpenSearch. Expected values come from the search documents themselves."""

from datetime import date, timedelta

import pytest
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone

from portal.core.models import Category
from search.models import SearchDocument
from search.params import parse_query
from search.query import PER_PAGE, SearchQuery

pytestmark = pytest.mark.django_db


def query(params: str = "", portals=("steel",), site=None) -> SearchQuery:
    return parse_query(QueryDict(params), list(portals), site)


def in_scope(portals=("steel",)):
    today = date.today()
    return SearchDocument.objects.filter(portal__in=portals).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=today)
    )


@pytest.fixture
def steel_site(steel, site_of):
    return site_of(steel)


@pytest.fixture
def change(engine):
    """Change a document in the database and the engine; the engine gets the original back
    afterwards (the database rolls back by itself, an external engine does not)."""
    originals = []

    def apply(doc: SearchDocument, **fields) -> SearchDocument:
        originals.append(SearchDocument.objects.get(pk=doc.pk))
        SearchDocument.objects.filter(pk=doc.pk).update(**fields)
        doc.refresh_from_db()
        engine.index([doc])
        if engine.external:
            engine.refresh(["steel"])
        return doc

    yield apply
    if originals and engine.external:
        for original in originals:
            original.updated_at = timezone.now()  # newer than the change, so it wins
        engine.index(originals)
        engine.refresh(["steel"])


def test_an_empty_search_lists_everything_in_scope(engine):
    result = engine.search(query())
    assert result.total == in_scope().count()
    assert len(result.hits) == min(PER_PAGE, result.total)


def test_filters_and_facet_counts_match_the_documents(engine):
    result = engine.search(query("type=listing&kind=sell"))
    assert result.total == in_scope().filter(doc_type="listing", kind="sell").count()
    # Multi-select: the type facet still counts every type, as if no type were chosen.
    for doc_type in ("listing", "news", "company"):
        expected = in_scope().filter(doc_type=doc_type)
        expected = expected.filter(kind="sell") if doc_type == "listing" else expected.none()
        assert result.facets["type"].get(doc_type, 0) == expected.count()
    assert result.facets["kind"]["buy"] == in_scope().filter(doc_type="listing", kind="buy").count()


def test_a_parent_category_includes_its_children(engine, steel_site):
    parent = Category.objects.filter(site=steel_site, parent=None).first()
    result = engine.search(query(f"category={parent.slug}", site=steel_site))
    assert result.total == in_scope().filter(categories=parent).distinct().count() > 0
    child = in_scope().filter(category__parent=parent).first().category
    narrowed = engine.search(query(f"category={child.slug}", site=steel_site))
    assert narrowed.total == in_scope().filter(categories=child).distinct().count()
    assert narrowed.total < result.total
    assert result.facets["category"][str(parent.pk)] == result.total
    assert result.facets["category"][str(child.pk)] == narrowed.total


def test_price_buckets_and_sorting_by_price(engine):
    result = engine.search(query("price=500-1000&sort=price_asc"))
    expected = in_scope().filter(price__gte=500, price__lt=1000)
    assert result.total == expected.count() > 0
    prices = [SearchDocument.objects.get(pk=hit.page_id).price for hit in result.hits]
    assert prices == sorted(prices)
    everything = engine.search(query())
    assert everything.facets["price"]["500-1000"] == expected.count()
    # Text, several price buckets and relevance order together.
    word = SearchDocument.objects.filter(portal="steel", price__gte=500).first().title.split()[0]
    mixed = engine.search(query(f"q={word}&price=500-1000&price=1000-5000"))
    assert all(500 <= SearchDocument.objects.get(pk=h.page_id).price < 5000 for h in mixed.hits)
    assert mixed.total > 0


def test_posted_dates_narrow_and_count(engine):
    result = engine.search(query("posted=30d"))
    assert result.total == everything_since(30)
    assert engine.search(query()).facets["posted"].get("30d", 0) == everything_since(30)


def everything_since(days: int) -> int:
    from django.utils import timezone

    return in_scope().filter(posted_at__gte=timezone.now() - timedelta(days=days)).count()


def test_pages_do_not_overlap(engine):
    first = engine.search(query("sort=newest"))
    second = engine.search(query("sort=newest&page=2"))
    assert first.hits and second.hits
    assert not {h.page_id for h in first.hits} & {h.page_id for h in second.hits}


def test_a_title_word_finds_its_document_first_with_a_marked_snippet(engine):
    doc = in_scope().filter(doc_type="company").order_by("pk").first()
    word = doc.title.split()[0]
    result = engine.search(query(f"q={word}&type=company"))
    assert doc.page_id in [hit.page_id for hit in result.hits[:3]]
    assert any("<mark>" in hit.snippet for hit in result.hits)


def test_snippets_are_escaped(engine, change):
    doc = in_scope().filter(doc_type="company").order_by("pk").first()
    change(doc, body=f"{doc.body} <script>alert(1)</script>")
    result = engine.search(query("q=alert"))
    snippets = " ".join(hit.snippet for hit in result.hits)
    assert "<script>" not in snippets


def test_a_misspelling_is_forgiven_or_corrected(engine):
    word = in_scope().filter(doc_type="company").order_by("pk").first().title.split()[0].lower()
    typo = word[:-1] + "q"  # one letter wrong
    result = engine.search(query(f"q={typo}"))
    assert result.total > 0 or word in " ".join(result.suggestions)


def test_autocomplete_completes_titles(engine):
    doc = in_scope().filter(doc_type="listing").order_by("pk").first()
    prefix = doc.title.split()[0][:4]
    ids = engine.autocomplete(prefix, ("steel",))
    titles = [SearchDocument.objects.get(pk=pk).title.lower() for pk in ids]
    assert titles and all(prefix.lower() in title for title in titles)


def test_expired_documents_are_not_found(engine, change):
    doc = in_scope().filter(doc_type="listing").order_by("pk").first()
    change(doc, expires_on=date.today() - timedelta(days=1))
    result = engine.search(query(f"q={doc.title.split()[0]}&sort=newest"))
    assert doc.page_id not in [hit.page_id for hit in result.hits]


def test_the_hub_searches_every_portal_with_a_portal_facet(engine):
    portals = ("steel", "textiles", "agrifood")
    result = engine.search(query("", portals=portals))
    assert result.total == in_scope(portals).count()
    assert result.facets["portal"] == {portal: in_scope((portal,)).count() for portal in portals}
    only = engine.search(query("portal=textiles", portals=portals))
    assert only.total == in_scope(("textiles",)).count()


def test_deleted_documents_leave_the_engine(engine):
    doc = in_scope().filter(doc_type="news").order_by("pk").first()
    engine.delete([doc.page_id])
    if engine.external:
        engine.refresh(["steel"])
        assert doc.page_id not in engine.document_ids("steel")
        doc.updated_at = timezone.now()  # republished after the deletion
        engine.index([doc])
        engine.refresh(["steel"])
        assert doc.page_id in engine.document_ids("steel")


NASTY = [
    "",
    " ",
    '"}}',
    "*:*",
    "AND OR NOT",
    "title:(steel",
    "steel^99 ~ / \\ ( ) [ ] { } < > !",
    "x" * 1000,
    "stahl ü ß 鋼鉄 сталь 🚢",
    "'; DROP TABLE search_searchdocument; --",
    "<script>alert(1)</script>",
    "\x00\x01\x02",
    "-",
    '"unclosed phrase',
]


@pytest.mark.parametrize("text", NASTY, ids=range(len(NASTY)))
def test_any_query_text_gets_an_answer(engine, text):
    from search.query import clean_text

    result = engine.search(query("").__class__(text=clean_text(text), portals=("steel",)))
    assert result.total >= 0
    if not any(ch.isalnum() for ch in text):  # nothing to search for: everything, like no text
        assert result.total == in_scope().count()
