"""What the sponsored slots of a list show today: the sponsorships placed there (at most
``SPONSORED_SLOTS``, in a rotation that changes daily) and the section's house ad."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from wagtail.models import Page, Site

from portal.board.models import BoardIndexPage, TradeListingPage
from portal.core.context import portal_site
from portal.core.models import Category
from portal.core.models.shared import shared
from portal.directory.models import CompanyPage

from .models import HouseAd, Sponsorship
from .tokens import sign

DEFAULT_SLOTS = 3


def slot_count() -> int:
    return int(getattr(settings, "SPONSORED_SLOTS", DEFAULT_SLOTS))


@dataclass(frozen=True)
class Slot:
    """One sponsored item as the slot shows it: never without advertiser and payer."""

    token: str  # the signed id its counters use
    title: str
    url: str
    kicker: str  # "Sell offer", "Company"...
    summary: str
    advertiser: str
    payer: str


@dataclass(frozen=True)
class HouseSlot:
    token: str
    title: str
    text: str
    url: str
    image: object | None
    external: bool


@dataclass(frozen=True)
class Slots:
    sponsored: list[Slot]
    house_ad: HouseSlot | None

    def __bool__(self) -> bool:
        return bool(self.sponsored or self.house_ad)


NONE = Slots([], None)


def today() -> date:
    return timezone.localdate()


def rotated(rows: list, day: date) -> list:
    """``rows`` started at a different one each day when there are more than the slots take,
    so that every sponsor gets shown."""
    if len(rows) <= slot_count():
        return rows
    start = day.toordinal() % len(rows)
    return rows[start:] + rows[:start]


def category_ids(featured: Page) -> set[int]:
    """The categories a featured page shows on the pages of: its own and their parents."""
    if isinstance(featured, TradeListingPage):
        own = [featured.category_id]
    elif isinstance(featured, CompanyPage):
        own = list(featured.categories.values_list("pk", flat=True))
    else:
        return set()
    parents = Category.objects.filter(pk__in=own, parent__isnull=False).values_list(
        "parent_id", flat=True
    )
    return {*own, *parents}


@dataclass(frozen=True)
class Running:
    """What runs on a site on a day: its sponsorships with the categories each shows on, and
    its house ads."""

    day: date
    sponsorships: list[tuple[Sponsorship, frozenset[int]]]
    house_ads: list[HouseAd]

    def placed(self, place: str, category: Category | None = None) -> list[Sponsorship]:
        """The sponsorships running in ``place`` ("board", "category", "search"), before the
        slot limit: for a category, those whose page is in its family."""
        flag = {"board": "on_board", "category": "on_categories", "search": "on_search"}[place]
        return [
            row
            for row, categories in self.sponsorships
            if getattr(row, flag) and (category is None or category.pk in categories)
        ]

    def shown(self, place: str, category: Category | None = None) -> list[Sponsorship]:
        """The sponsorships the slots of ``place`` show, in their order."""
        return rotated(self.placed(place, category), self.day)[: slot_count()]

    def house_ad(self, section: Page) -> HouseAd | None:
        return next((ad for ad in self.house_ads if ad.section_id == section.pk), None)


def read_running(site: Site, day: date) -> Running:
    """What runs on ``site`` on ``day``, read from the database."""
    rows = (
        Sponsorship.objects.running(day)
        .filter(site=site)
        .select_related("page")
        .order_by("starts_on", "pk")
    )
    return Running(
        day,
        [(row, frozenset(category_ids(row.featured))) for row in rows],
        list(house_ads(site, day)),
    )


def running(site: Site, day: date, request: HttpRequest | None = None) -> Running:
    """What runs on ``site`` on ``day``, kept per process until a page, sponsorship or house
    ad changes (see ``signals.py``), so that a list asks the database nothing for its slots."""
    return shared(
        request, ("sponsored-slots", site.pk, day.isoformat()), lambda: read_running(site, day)
    )


def house_ads(site: Site, day: date) -> QuerySet:
    return (
        HouseAd.objects.filter(site=site, live=True)
        .filter(HouseAd.running_on(day))
        .select_related("link_page", "image")
        .order_by("-starts_on", "pk")
    )


def as_slot(sponsorship: Sponsorship, request: HttpRequest | None) -> Slot:
    featured = sponsorship.featured
    if isinstance(featured, TradeListingPage):
        kicker = featured.get_kind_display()
        summary = featured.description
    else:
        kicker = "Company"
        summary = getattr(featured, "profile", "")
    return Slot(
        token=sign("s", sponsorship.pk),
        title=featured.title,
        url=featured.get_url(request) or "",
        kicker=kicker,
        summary=summary[:160],
        advertiser=sponsorship.advertiser,
        payer=sponsorship.payer,
    )


def as_house_slot(ad: HouseAd, request: HttpRequest | None) -> HouseSlot:
    return HouseSlot(
        token=sign("h", ad.pk),
        title=ad.title,
        text=ad.text,
        url=ad.link_page.get_url(request) if ad.link_page else ad.link_url,
        image=ad.image,
        external=not ad.link_page_id,
    )


def index_slots(
    index: Page, request: HttpRequest | None, kind: str | None, choice: object, number: int
) -> Slots:
    """The slots at the top of the first page of a section's list: sponsorships on the
    board's home list and category lists, and the section's house ad."""
    if number != 1 or kind not in (None, "category"):
        return NONE
    day = today()
    site = (portal_site(request) if request is not None else None) or index.get_site()
    if site is None:
        return NONE
    now = running(site, day, request)
    sponsored = [as_slot(row, request) for row in board_slots(now, index, choice)]
    ad = now.house_ad(index)
    return Slots(sponsored, as_house_slot(ad, request) if ad else None)


def board_slots(now: Running, index: Page, category: Category | None) -> list[Sponsorship]:
    """The sponsorships on the first page of a section's list, all of it or a category's:
    only the board's lists have them."""
    if not isinstance(index, BoardIndexPage):
        return []
    return now.shown("category" if category else "board", category)


def search_slots(site: Site | None, request: HttpRequest | None, number: int = 1) -> Slots:
    """The sponsored slots above the first page of a portal's search results."""
    if site is None or number != 1:
        return NONE
    rows = running(site, today(), request).shown("search")
    return Slots([as_slot(row, request) for row in rows], None)
