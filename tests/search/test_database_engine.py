"""The database engine's own shortcuts give the answers of the slower ways they replace: the
FTS5 match (SQLite) finds what the full-text backend finds, and the count of the documents in
scope read from indexes is the count of the documents in scope."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from django.db.models import Q
from django.utils import timezone
from wagtail.search.backends import get_search_backend

from search.engines import fulltext
from search.engines.database import DatabaseEngine, in_scope_count, scope
from search.models import SearchDocument
from search.query import SearchQuery

pytestmark = pytest.mark.django_db

PORTALS = ("steel", "textiles")


def backend_matches(text: str, portals=PORTALS) -> set[int]:
    """What the full-text backend finds for every word of ``text``, in scope."""
    results = get_search_backend().search(
        text,
        SearchDocument.objects.filter(portal__in=portals),
        operator="and",
        order_by_relevance=False,
    )
    in_scope = results.get_queryset().filter(scope(SearchQuery(portals=portals)))
    return set(in_scope.values_list("pk", flat=True))


def sample_words() -> list[str]:
    """A common word, a rare one and two words of one title."""
    titles = SearchDocument.objects.filter(portal="steel").order_by("pk")
    first, last = titles.first().title.split(), titles.last().title.split()
    return [first[0], last[-1], " ".join(first[:2])]


def test_the_fts5_match_finds_what_the_backend_finds():
    if not fulltext.available():
        pytest.skip("the database has no FTS5 index (PostgreSQL, or SQLite without FTS5)")
    doc = SearchDocument.objects.filter(portal="steel", doc_type="listing").order_by("pk").first()
    SearchDocument.objects.filter(pk=doc.pk).update(expires_on=date.today() - timedelta(days=1))
    for text in [*sample_words(), doc.title.split()[0]]:
        found = fulltext.matches(text.split(), PORTALS, date.today())
        assert len(found) == len(set(found))
        assert set(found) == backend_matches(text), text
    assert doc.pk not in fulltext.matches(doc.title.split()[:1], PORTALS, date.today())


def test_a_search_counts_what_is_in_scope():
    SearchDocument.objects.filter(
        pk__in=SearchDocument.objects.filter(portal="steel").values("pk")[:3]
    ).update(expires_on=date.today() - timedelta(days=1))
    query = SearchQuery(portals=PORTALS)
    today = date.today()
    expected = SearchDocument.objects.filter(portal__in=PORTALS).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=today)
    )
    assert in_scope_count(query) == expected.count()
    assert DatabaseEngine().search(query).total == expected.count()


def needs_fts5():
    if not fulltext.available():
        pytest.skip("the database has no FTS5 index (PostgreSQL, or SQLite without FTS5)")


def test_the_index_follows_every_write_to_the_documents():
    needs_fts5()
    today = date.today()
    doc = SearchDocument.objects.filter(portal="steel").order_by("pk").first()
    # A bulk update, as the expiry job and imports make: no save(), no signal.
    SearchDocument.objects.filter(pk=doc.pk).update(title="Zirconium ingots", body="Rare stock")
    assert fulltext.matches(["zirconium"], PORTALS, today) == [doc.pk]
    assert fulltext.matches(["rare", "ingots"], PORTALS, today) == [doc.pk]
    # Another portal's slug that starts with this one's is another portal.
    SearchDocument.objects.filter(pk=doc.pk).update(portal="steel-asia")
    assert fulltext.matches(["zirconium"], PORTALS, today) == []
    assert fulltext.matches(["zirconium"], ["steel-asia"], today) == [doc.pk]
    SearchDocument.objects.filter(pk=doc.pk).delete()
    assert fulltext.matches(["zirconium"], ["steel-asia"], today) == []


def test_relevance_puts_titles_starting_with_the_words_first_then_titles_with_them():
    needs_fts5()
    first, within, body_only = SearchDocument.objects.filter(portal="steel").order_by("pk")[:3]
    now = timezone.now()
    changes = [
        (first, "Zirconium ingots", "Stock", now - timedelta(days=3)),
        (within, "Ingots of zirconium", "Stock", now - timedelta(days=2)),
        (body_only, "Ingots", "Zirconium on request", now - timedelta(days=1)),
    ]
    for doc, title, body, posted_at in changes:
        SearchDocument.objects.filter(pk=doc.pk).update(
            title=title, body=body, posted_at=posted_at, expires_on=None
        )
    query = SearchQuery(portals=("steel",), text="zirconium", sort="relevance")
    hits = [hit.page_id for hit in DatabaseEngine().search(query).hits]
    assert hits == [first.pk, within.pk, body_only.pk]
    newest = DatabaseEngine().search(replace(query, sort="newest"))
    assert [hit.page_id for hit in newest.hits] == [body_only.pk, within.pk, first.pk]


def test_a_search_of_no_portal_or_of_an_unknown_word_finds_nothing_and_suggests():
    needs_fts5()
    engine = DatabaseEngine()
    nowhere = engine.search(SearchQuery(portals=(), text="steel"))
    assert nowhere.total == 0 and nowhere.hits == []
    titles = SearchDocument.objects.filter(portal="steel").values_list("title", flat=True)
    word = max((w for t in titles[:50] for w in t.split() if w.isalpha()), key=len).lower()
    typo = engine.search(SearchQuery(portals=("steel",), text=word[:-1] + "q" + word[-1]))
    assert typo.total == 0 and typo.hits == []
    assert typo.suggestions
