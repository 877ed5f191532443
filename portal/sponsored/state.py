"""What the slots show, for the static export's stamps and the page cache's purge: every
section list shows its house ad, the board's lists the sponsorships running today. A
sponsorship starting or ending changes the stamp on its day (``run_board_jobs`` notes every
portal hourly), and a featured page that changes is known to be shown by the board."""

from datetime import date
from typing import Any

from wagtail.models import Page

from portal.board.models import BoardIndexPage

from .models import Sponsorship
from .slots import house_ads, slot_count, today


def rotation_mark(running: int, day: date) -> str:
    """The part of a stamp that says which rotation the slots show: with more sponsorships
    running than the slots take, the order changes daily (``slots.rotated``)."""
    return f"r{day.toordinal() if running > slot_count() else 0}"


def shown_on_search(root: Page) -> list[Any]:
    """What the search page's slots show today for the portal at ``root``."""
    site = root.get_site()
    if site is None:
        return []
    day = today()
    running = Sponsorship.objects.running(day).filter(site=site, on_search=True).order_by("pk")
    rows = list(running.values_list("pk", "page_id", "advertiser", "payer"))
    return [*rows, rotation_mark(len(rows), day)] if rows else []


def shown_in_slots(root: Page) -> dict[int, list[Any]]:
    """``{section page id: [what its slots show]}`` for the portal at ``root``."""
    site = root.get_site()
    if site is None:
        return {}
    day = today()
    shown: dict[int, list[Any]] = {}
    sponsorships = list(
        Sponsorship.objects.running(day)
        .filter(site=site)
        .order_by("pk")
        .values_list(
            "pk", "page_id", "on_board", "on_categories", "on_search", "advertiser", "payer"
        )
    )
    if sponsorships:
        rotation = rotation_mark(len(sponsorships), day)
        rows = [[f"s{row[0]}", *row[1:], rotation] for row in sponsorships]
        boards = BoardIndexPage.objects.child_of(root).values_list("pk", flat=True)
        for pk in boards:
            shown[pk] = list(rows)
    sections = Page.objects.child_of(root).values("pk")
    for ad in house_ads(site, day).filter(section__in=sections):
        shown.setdefault(ad.section_id, []).append(
            [f"h{ad.pk}", ad.title, ad.text, ad.link_page_id, ad.link_url, ad.image_id]
        )
    return shown
