"""What the slots show, for the static export's stamps and the page cache's purge: the first
page of a section's list (all of it, or a category's) shows the section's house ad, and on
the board the sponsorships running today in the order of the day's rotation. A sponsorship
starting or ending changes those stamps on its day (``run_board_jobs`` notes every portal
hourly); a featured page published again changes them too (its title and summary are shown).
Later pages, feeds and every other list are not touched."""

from typing import Any

from wagtail.models import Page

from portal.core.models.pages import filter_value

from .models import HouseAd, Sponsorship
from .slots import Running, board_slots, read_running, today


def _sponsorship(row: Sponsorship) -> list[Any]:
    page = row.page
    return [f"s{row.pk}", page.pk, page.live_revision_id, page.url_path, row.advertiser, row.payer]


def _house_ad(ad: HouseAd) -> list[Any]:
    return [f"h{ad.pk}", ad.title, ad.text, ad.link_page_id, ad.link_url, ad.image_id]


def _running(root: Page) -> Running | None:
    site = root.get_site()
    return None if site is None else read_running(site, today())


def shown_on_first_pages(root: Page) -> dict[tuple, list[Any]]:
    """``{(section page id, filter kind, filter value): [what its slots show]}`` for the
    first pages of the lists of the portal at ``root`` that show slots."""
    now = _running(root)
    if now is None or not (now.sponsorships or now.house_ads):
        return {}
    shown: dict[tuple, list[Any]] = {}
    for section in root.specific.sections():
        ad = now.house_ad(section)
        for kind, choice in section.filter_choices():
            if kind not in (None, "category"):
                continue
            parts = [_sponsorship(row) for row in board_slots(now, section, choice)]
            if ad is not None:
                parts.append(_house_ad(ad))
            if parts:
                shown[(section.pk, kind, filter_value(choice))] = parts
    return shown


def shown_on_search(root: Page) -> list[Any]:
    """What the search page's slots show today for the portal at ``root``."""
    now = _running(root)
    return [] if now is None else [_sponsorship(row) for row in now.shown("search")]
