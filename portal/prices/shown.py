"""What pages show of the prices section without a new revision of their own, for the static
export's stamps and the page cache's purges: a series' points, the tables of latest values
(the section page, the home page) and the cautions on sell offers."""

from collections import defaultdict
from typing import Any

from wagtail.models import Page

from portal.board.models import TradeListingPage
from portal.core.models import Category

from .caution import CautionCheck
from .models import PriceIndexPage, PricePoint, PriceSeriesPage


def point_stamps(index: PriceIndexPage) -> dict[int, tuple]:
    """Per series: how many points, the latest change, the latest value."""
    stamps: dict[int, tuple] = {}
    rows = (
        PricePoint.objects.filter(series__path__startswith=index.path)
        .order_by("series_id", "period_end")
        .values_list("series_id", "period_end", "value", "status", "assessed_at")
    )
    for series_id, day, value, status, assessed_at in rows:
        count, newest = stamps.get(series_id, (0, None))[:2]
        newest = max(filter(None, (newest, assessed_at)))
        stamps[series_id] = (count + 1, newest, day, value, status)
    return stamps


def shown_content(root: Page) -> dict[int, list[Any]]:
    index = PriceIndexPage.objects.live().child_of(root).first()
    if index is None:
        return {}
    stamps = point_stamps(index)
    shown: dict[int, list[Any]] = {pk: [stamp] for pk, stamp in stamps.items()}
    table = sorted(stamps.items())
    shown[index.pk] = [table]
    shown[root.pk] = [table]
    shown.update(_cautions(root, index))
    return shown


def _cautions(root: Page, index: PriceIndexPage) -> dict[int, list[Any]]:
    check = CautionCheck(index)
    if not check.series:
        return {}
    tracked = {series.category_id for series, _ in check.series}
    families = set(tracked) | set(
        Category.objects.filter(parent_id__in=tracked).values_list("pk", flat=True)
    )
    parents = dict(Category.objects.filter(pk__in=families).values_list("pk", "parent_id"))
    offers = (
        TradeListingPage.objects.open()
        .descendant_of(root)
        .filter(kind="sell", category_id__in=families)
    )
    shown: dict[int, list[Any]] = {}
    for listing in offers.only(
        "pk",
        "kind",
        "category_id",
        "region_id",
        "incoterm",
        "currency",
        "unit",
        "price_min",
        "price_max",
    ):
        caution = check(listing, parents.get(listing.category_id))
        if caution is not None:
            shown[listing.pk] = [("caution", caution.series.pk, str(caution.value))]
    return shown


def series_files(index: PriceIndexPage) -> list[tuple[str, str]]:
    """Downloads, input logs and the methodology page of the section, for the static copy."""
    stamps = point_stamps(index)
    files = []
    series_list = list(PriceSeriesPage.objects.live().public().child_of(index).order_by("path"))
    points: dict[int, list[tuple]] = defaultdict(list)
    for series_id, day, assessed_at in PricePoint.objects.filter(
        series__in=series_list
    ).values_list("series_id", "period_end", "assessed_at"):
        points[series_id].append((day, assessed_at))
    methods = []
    for series in series_list:
        stamp = str(stamps.get(series.pk, ""))
        files += [(f"data/{series.slug}.csv", stamp), (f"data/{series.slug}.json", stamp)]
        for day, assessed_at in points[series.pk]:
            files.append((f"{series.slug}/inputs/{day.isoformat()}/", str(assessed_at)))
        methods.append((series.pk, series.live_revision_id))
    files.append(("methodology/", str(methods)))
    return files
