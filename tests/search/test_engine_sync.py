"""With a real external engine: publishing reaches it through the outbox, ``rebuild`` swaps
the alias to a new index, ``verify`` repairs what the engine is missing."""

import pytest
from django.core.management import call_command

from portal.board.models import SellOfferPage, TradeListingPage
from search import health
from search.models import SearchDocument, SearchOutbox
from search.query import SearchQuery

pytestmark = pytest.mark.django_db


@pytest.fixture
def external(engine):
    if not engine.external:
        pytest.skip("needs an external engine (SEARCH_TEST_URLS)")
    health.mark_up()
    return engine


def found(engine, text: str) -> list[int]:
    engine.refresh(["steel"])
    return [hit.page_id for hit in engine.search(SearchQuery(text=text, portals=("steel",))).hits]


def test_a_publication_reaches_the_engine_through_the_outbox(
    external, steel, django_capture_on_commit_callbacks
):
    offer = (
        SellOfferPage.objects.live().descendant_of(steel).filter(TradeListingPage.current()).first()
    )
    original = SearchDocument.objects.get(pk=offer.pk)
    offer.title = "Zirconium sponge special lot"
    with django_capture_on_commit_callbacks(execute=True):
        offer.save_revision().publish()
    assert not SearchOutbox.objects.filter(page_id=offer.pk).exists()  # sent at once
    assert offer.pk in found(external, "zirconium sponge")
    with django_capture_on_commit_callbacks(execute=True):
        offer.unpublish()
    assert offer.pk not in found(external, "zirconium sponge")
    external.index([original])


def test_rebuild_switches_the_alias_to_a_new_index(external, capsys):
    alias = external.alias("steel")
    before = external.transport.indices_of(alias)
    call_command("search_index", "rebuild", "--portal", "steel", verbosity=0)
    after = external.transport.indices_of(alias)
    assert len(after) == 1 and after != before
    assert external.document_ids("steel") == set(
        SearchDocument.objects.filter(portal="steel").values_list("page_id", flat=True)
    )


def test_verify_puts_back_what_the_engine_lost(external, capsys):
    doc = SearchDocument.objects.filter(portal="steel").first()
    external.delete([doc.page_id])
    external.refresh(["steel"])
    call_command("search_index", "verify", "--portal", "steel")
    external.refresh(["steel"])
    assert doc.page_id in external.document_ids("steel")
    assert "1 missing from" in capsys.readouterr().out


def test_an_older_copy_arriving_late_never_overwrites_a_newer_one(external):
    from datetime import timedelta

    from django.utils import timezone

    doc = SearchDocument.objects.filter(portal="steel", doc_type="company").first()
    doc.updated_at = timezone.now()
    newer = SearchDocument.objects.get(pk=doc.pk)
    newer.title = "Newer title"
    newer.updated_at = doc.updated_at + timedelta(seconds=5)
    external.index([newer])
    external.index([doc])  # the stale copy, sent last
    assert doc.page_id in found(external, "newer title")
    later = SearchDocument.objects.get(pk=doc.pk)
    later.updated_at = newer.updated_at + timedelta(seconds=5)
    external.index([later])


def test_a_page_moved_to_another_portal_leaves_the_old_index(external):
    from datetime import timedelta

    from django.utils import timezone

    doc = SearchDocument.objects.filter(portal="steel", doc_type="company").first()
    moved = SearchDocument.objects.get(pk=doc.pk)
    moved.portal = "textiles"
    moved.updated_at = timezone.now() + timedelta(seconds=30)
    external.index([moved])
    external.refresh(["steel", "textiles"])
    assert doc.page_id not in external.document_ids("steel")
    assert doc.page_id in external.document_ids("textiles")
    back = SearchDocument.objects.get(pk=doc.pk)
    back.updated_at = moved.updated_at + timedelta(seconds=10)
    external.index([back])


def test_removing_from_a_portal_without_an_index_creates_nothing(external, index_prefix):
    from search.configured import engine_for

    fresh = engine_for(external.url, f"{index_prefix}-fresh")
    fresh.delete([1, 2, 3])
    assert not fresh.transport.client.indices.exists(index=fresh.alias("steel"))
    doc = SearchDocument.objects.filter(portal="steel").first()
    fresh.index([doc])  # the alias can still be made
    assert fresh.transport.indices_of(fresh.alias("steel"))
    for portal in fresh.known_portals():
        for index in fresh.transport.indices_of(fresh.alias(portal)):
            fresh.transport.delete_index(index)


def test_a_rebuild_fills_without_refreshes_and_restores_the_serving_settings(external):
    """While a rebuild fills its new index: no refreshes, no replicas, the translog written in
    the background; before the alias moves to it, the index serves with its usual settings."""
    from search.engines.mappings import FILLING_SETTINGS, SERVING_SETTINGS
    from search.indexing import engine_documents

    alias = external.alias("steel")
    seen = {}

    def progress(n):
        if not seen:  # the first document: the new index is being filled
            (filling,) = set(external.transport.indices_matching(f"{alias}-*")) - set(
                external.transport.indices_of(alias)
            )
            seen.update(external.transport.get_settings(filling)[filling])

    external.rebuild("steel", engine_documents("steel"), progress)
    (serving,) = external.transport.indices_of(alias)
    now = external.transport.get_settings(serving)[serving]

    def of(settings, name):
        return str(settings.get(f"index.{name}", "")).lower()

    for name, value in FILLING_SETTINGS.items():
        assert of(seen, name) == str(value).lower(), name
    for name, value in SERVING_SETTINGS.items():
        assert of(now, name) == str(value).lower(), name
    assert external.document_ids("steel") == set(
        SearchDocument.objects.filter(portal="steel").values_list("page_id", flat=True)
    )


def test_an_engine_only_rebuild_sends_the_stored_documents(external, capsys):
    doc = SearchDocument.objects.filter(portal="steel").first()
    call_command("search_index", "rebuild", "--portal", "steel", "--engine-only")
    assert "documents kept" in capsys.readouterr().out
    assert SearchDocument.objects.get(pk=doc.pk).updated_at == doc.updated_at  # not rebuilt
    assert external.document_ids("steel") == set(
        SearchDocument.objects.filter(portal="steel").values_list("page_id", flat=True)
    )
