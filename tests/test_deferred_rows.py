"""Rows of a list read only when a page asks more of them than their id and model."""

import pytest

from portal.board.models import SellOfferPage, TradeListingPage
from portal.core.loading import deferred_rows
from portal.rendering import ExportMemo

pytestmark = pytest.mark.django_db


def listed(steel) -> list[int]:
    offers = SellOfferPage.objects.live().descendant_of(steel).filter(TradeListingPage.current())
    return list(offers.order_by("pk").values_list("pk", flat=True)[:3])


def test_a_deferred_row_is_read_when_asked_more_than_its_id(steel, rf, django_assert_num_queries):
    request = rf.get("/")
    request.static_export = ExportMemo(bulk=False)
    ids = listed(steel)
    queryset = SellOfferPage.objects.all()
    with django_assert_num_queries(0):
        rows = deferred_rows(request, "key", queryset, ids)
        assert [row.pk for row in rows] == ids
        assert {row._meta.model_name for row in rows} == {"sellofferpage"}
    title = SellOfferPage.objects.get(pk=ids[0]).title
    with django_assert_num_queries(1):
        assert rows[0].title == title
        assert rows[0].url_path and rows[0].get_kind_display()  # read once, then kept
    with django_assert_num_queries(0):  # the same row, for another list of the build
        assert deferred_rows(request, "key", queryset, ids[:1])[0].title == rows[0].title


def test_a_deferred_row_that_left_the_list_says_so(steel, rf):
    request = rf.get("/")
    request.static_export = ExportMemo(bulk=False)
    (row,) = deferred_rows(request, "key", SellOfferPage.objects.none(), listed(steel)[:1])
    with pytest.raises(LookupError, match="left the list"):
        _ = row.title
