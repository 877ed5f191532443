"""Queries compiled once per process (``portal.core.prepared``): the route to a listing and
its matches give what the querysets they stand for give, with new values each time."""

from datetime import date, timedelta

import pytest
from django.db import models
from wagtail.models import PageViewRestriction

from portal.board.models import BoardIndexPage, BuyRequestPage, SellOfferPage, TradeListingPage
from portal.core import prepared as prepared_module
from portal.core.prepared import Param, prepared

pytestmark = pytest.mark.django_db


def steel_board() -> BoardIndexPage:
    return BoardIndexPage.objects.get(url_path="/steel/board/")


@pytest.mark.parametrize("model", [SellOfferPage, BuyRequestPage])
def test_a_listing_is_routed_to_as_its_page_with_the_rows_it_shows(
    model, django_assert_num_queries
):
    board = steel_board()
    expected = model.objects.child_of(board).select_related("company").first()
    with django_assert_num_queries(1):
        routed = board.child_for_route(None, expected.slug)
    assert type(routed) is model and routed.pk == expected.pk
    for field in model._meta.concrete_fields:
        assert getattr(routed, field.attname) == getattr(expected, field.attname), field.name
    with django_assert_num_queries(0):  # what its page shows came with it
        shown = (routed.category.name, routed.region.name, routed.company.title)
    assert shown == (expected.category.name, expected.region.name, expected.company.title)
    if routed.category.parent_id:
        with django_assert_num_queries(0):
            assert routed.category.parent.name


def test_a_slug_under_another_section_or_none_is_not_routed_to():
    board = steel_board()
    elsewhere = TradeListingPage.objects.exclude(url_path__startswith="/steel/").first()
    assert board.child_for_route(None, elsewhere.slug) is None
    assert board.child_for_route(None, "no-such-listing") is None


def test_matches_are_the_matching_open_listings_newest_first():
    listings = TradeListingPage.objects.live().filter(url_path__startswith="/steel/")
    compared = 0
    for listing in listings.order_by("pk"):
        expected = [match.pk for match in listing.matching_listings()[: listing.matches_shown]]
        assert [match.pk for match in listing.matches()] == expected
        compared += bool(expected)
    assert compared >= 3


def match_pair() -> tuple[TradeListingPage, TradeListingPage]:
    """A listing and one of its matches."""
    for listing in TradeListingPage.objects.open().filter(url_path__startswith="/steel/"):
        matches = listing.matches()
        if matches:
            return listing, matches[0]
    raise AssertionError("the demo has no matching listings")


def test_a_match_closed_or_past_its_date_leaves_the_matches():
    listing, match = match_pair()
    TradeListingPage.objects.filter(pk=match.pk).update(closed_on=date.today())
    assert match.pk not in [found.pk for found in listing.matches()]
    TradeListingPage.objects.filter(pk=match.pk).update(
        closed_on=None, valid_until=date.today() - timedelta(days=1)
    )
    assert match.pk not in [found.pk for found in listing.matches()]
    TradeListingPage.objects.filter(pk=match.pk).update(valid_until=date.today())
    assert match.pk in [found.pk for found in listing.matches()]


def test_a_match_put_behind_a_view_restriction_leaves_the_matches():
    listing, match = match_pair()
    PageViewRestriction.objects.create(page=match, restriction_type="login")
    assert match.pk not in [found.pk for found in listing.matches()]


def test_a_prepared_query_is_compiled_once_and_run_with_new_values(monkeypatch):
    compiled = []
    original = prepared_module._Compiled.of
    monkeypatch.setattr(
        prepared_module._Compiled,
        "of",
        classmethod(lambda cls, *args: compiled.append(args) or original(*args)),
    )
    by_kind = prepared(
        ("test-listings-of-kind",),
        lambda: (
            TradeListingPage.objects.filter(kind=Param("kind", models.CharField()))
            .select_related("region")
            .order_by("pk")[:5]
        ),
    )
    for kind in ("sell", "buy", "sell"):
        found = by_kind.run(kind=kind)
        expected = TradeListingPage.objects.filter(kind=kind).order_by("pk")[:5]
        assert [listing.pk for listing in found] == [listing.pk for listing in expected]
        assert {listing.kind for listing in found} == {kind}
    assert len(compiled) == 1


def test_values_are_prepared_for_the_database_as_their_field_prepares_them():
    since = prepared(
        ("test-listings-valid-until",),
        lambda: TradeListingPage.objects.filter(
            valid_until__gte=Param("day", models.DateField())
        ).order_by("pk"),
    )
    day = date.today() + timedelta(days=30)
    expected = list(TradeListingPage.objects.filter(valid_until__gte=day).order_by("pk"))
    assert since.run(day=day) == expected


def test_a_process_keeps_a_bounded_number_of_shapes(monkeypatch):
    monkeypatch.setattr(prepared_module, "PREPARED_KEPT", 3)
    monkeypatch.setattr(prepared_module, "_prepared", {})
    queries = [
        prepared(("test-shape", n), lambda: TradeListingPage.objects.all()) for n in range(5)
    ]
    assert len(prepared_module._prepared) <= 3
    assert prepared(("test-shape", 4), lambda: TradeListingPage.objects.all()) is queries[4]
