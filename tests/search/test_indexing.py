"""Pages and their search documents stay in step; the outbox carries changes to the engine
and keeps them through an outage; the search page falls back to the database meanwhile."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from portal.board import lifecycle
from portal.board.models import SellOfferPage, TradeListingPage
from search import health, outbox
from search.configured import engine_for
from search.models import SearchDocument, SearchOutbox

from ..conftest import host

pytestmark = pytest.mark.django_db
DOWN = "http://127.0.0.1:9"  # nothing listens there


def a_live_offer(home) -> SellOfferPage:
    return (
        SellOfferPage.objects.live().descendant_of(home).filter(TradeListingPage.current()).first()
    )


def test_publishing_and_unpublishing_update_the_document(steel):
    offer = a_live_offer(steel)
    offer.title = "Renamed rebar offer"
    offer.save_revision().publish()
    assert SearchDocument.objects.get(pk=offer.pk).title == "Renamed rebar offer"
    offer.unpublish()
    assert not SearchDocument.objects.filter(pk=offer.pk).exists()


def test_expiry_and_closing_take_listings_out_of_search(steel, make_member):
    member = make_member(steel, "searcher")
    offer = a_live_offer(steel)
    TradeListingPage.objects.filter(pk=offer.pk).update(
        valid_until=date.today() - timedelta(days=1)
    )
    lifecycle.expire_due()
    assert not SearchDocument.objects.filter(pk=offer.pk).exists()
    other = a_live_offer(steel)
    lifecycle.close(other, member.user, "fulfilled")
    assert not SearchDocument.objects.filter(pk=other.pk).exists()


def test_deleting_a_page_deletes_its_document(steel):
    offer = a_live_offer(steel)
    offer.delete()
    assert not SearchDocument.objects.filter(pk=offer.pk).exists()


def test_private_pages_are_not_searchable(steel):
    from wagtail.models import PageViewRestriction

    offer = a_live_offer(steel)
    PageViewRestriction.objects.create(page=offer, restriction_type="login")
    assert not SearchDocument.objects.filter(pk=offer.pk).exists()


def test_an_engine_outage_keeps_every_change_and_never_breaks_publishing(client, steel, settings):
    settings.SEARCH_URL = DOWN
    engine_for.cache_clear()
    health.mark_up()
    offer = a_live_offer(steel)
    offer.title = "Published while the engine was down"
    offer.save_revision().publish()  # no exception
    queued = SearchOutbox.objects.filter(page_id=offer.pk)
    assert queued.exists()
    sent, failed = outbox.process()
    assert sent == 0 and failed >= 1
    row = queued.first()
    assert row.attempts == 1 and row.next_attempt_at > row.created_at and row.last_error
    # The public search still answers, from the database, and says so.
    response = client.get("/search/?q=engine+was+down", HTTP_HOST=host("steel"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Published while the engine was down" in html
    assert "simpler mode" in html
    # Autocomplete too.
    assert client.get("/search/suggest/?q=Publ", HTTP_HOST=host("steel")).status_code == 200


def test_backoff_grows_and_is_capped():
    assert outbox.backoff(1).total_seconds() == 5
    assert outbox.backoff(3).total_seconds() == 20
    assert outbox.backoff(30).total_seconds() == 3600


def test_verify_repairs_documents_that_drifted(steel, capsys):
    offer = a_live_offer(steel)
    SearchDocument.objects.filter(pk=offer.pk).delete()
    with pytest.raises(CommandError):
        call_command("search_index", "verify", "--portal", "steel", "--dry-run")
    call_command("search_index", "verify", "--portal", "steel")
    assert SearchDocument.objects.filter(pk=offer.pk).exists()
    assert "repaired: 1 documents" in capsys.readouterr().out


def test_unknown_portal_is_a_clear_error():
    with pytest.raises(CommandError, match="no such portal: nowhere"):
        call_command("search_index", "rebuild", "--portal", "nowhere")


def test_a_failing_search_update_never_fails_publishing(steel, monkeypatch):
    import search.signals

    def broken(*args, **kwargs):
        raise RuntimeError("document builder bug")

    monkeypatch.setattr(search.signals, "reindex", broken)
    offer = a_live_offer(steel)
    offer.title = "Published despite a search bug"
    offer.save_revision().publish()  # no exception
    row = SearchOutbox.objects.get(page_id=offer.pk, rebuild=True)
    monkeypatch.undo()
    outbox.process()
    assert SearchDocument.objects.get(pk=offer.pk).title == "Published despite a search bug"
    assert not SearchOutbox.objects.filter(pk=row.pk).exists()


def test_a_renamed_company_is_found_through_its_listings(steel):
    from portal.directory.models import CompanyPage

    listing = (
        TradeListingPage.objects.live().descendant_of(steel).filter(company__live=True).first()
    )
    company = CompanyPage.objects.get(pk=listing.company_id)
    company.title = "Quasar Forgeworks"
    company.save_revision().publish()
    assert "Quasar Forgeworks" in SearchDocument.objects.get(pk=listing.pk).body


def test_news_text_is_plain(steel):
    doc = SearchDocument.objects.filter(portal="steel", doc_type="news").first()
    assert "&amp;" not in doc.body and "<p>" not in doc.body
