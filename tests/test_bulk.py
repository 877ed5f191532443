"""Bulk-created demo pages are real Wagtail pages: valid tree, editable, searchable."""

import pytest
from django.db import connection
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from portal.board.models import SellOfferPage, TradeListingPage

pytestmark = pytest.mark.django_db


def test_tree_is_consistent():
    assert Page.find_problems() == ([], [], [], [], [])


def test_demo_page_can_be_edited_and_republished(client, admin_user, steel):
    offer = SellOfferPage.objects.descendant_of(steel).first()
    client.force_login(admin_user)
    assert client.get(f"/admin/pages/{offer.pk}/edit/").status_code == 200
    offer.title = "Edited offer title"
    revision = offer.save_revision()
    revision.publish()
    offer.refresh_from_db()
    assert offer.title == "Edited offer title" and offer.live
    assert offer.get_latest_revision() == revision


def test_search_backend_is_full_text_not_a_fallback():
    backend = type(get_search_backend()).__name__
    expected = {"sqlite": "SQLiteSearchBackend", "postgresql": "PostgresSearchBackend"}
    assert backend == expected[connection.vendor]


def test_demo_listings_are_indexed(steel):
    listing = TradeListingPage.objects.descendant_of(steel).first().specific
    word = listing.category.name.split()[0]
    results = type(listing).objects.live().descendant_of(steel).search(word)
    assert listing.pk in {page.pk for page in results}
