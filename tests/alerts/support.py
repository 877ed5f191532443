"""What the alerts tests share: a portal's board, fresh listings, alerts saved directly."""

from django.utils import timezone
from wagtail.models import Site

from portal.alerts.models import INSTANT, Alert
from portal.alerts.targets import read_target
from portal.board.models import NEWEST_FIRST, BoardIndexPage, TradeListingPage

from ..conftest import host

STEEL = host("steel")
TEXTILES = host("textiles")


def board_of(home) -> BoardIndexPage:
    return BoardIndexPage.objects.child_of(home).get()


def open_listing(home, **filters) -> TradeListingPage:
    listings = TradeListingPage.objects.open().descendant_of(home).filter(**filters)
    return listings.select_related("category", "region").order_by(*NEWEST_FIRST).first()


def publish_now(listing: TradeListingPage) -> TradeListingPage:
    """Make ``listing`` new: first published a moment ago (after any alert of the test)."""
    TradeListingPage.objects.filter(pk=listing.pk).update(first_published_at=timezone.now())
    listing.refresh_from_db()
    return listing


def save_alert(
    home,
    frequency: str = INSTANT,
    member=None,
    email: str = "",
    price: tuple[str, str] = ("above", "1"),
    **target,
) -> Alert:
    """A confirmed alert of ``home`` for ``target`` (``url=...``, ``company=...``...);
    ``price``: a price alert's direction and threshold."""
    from portal.alerts.forms import AlertChoicesForm
    from portal.alerts.saving import build

    site = Site.objects.get(root_page=home)
    found = read_target(site, target)
    data = {"frequency": frequency, "direction": price[0], "threshold": price[1]}
    form = AlertChoicesForm(data, site=site, price=found.series is not None)
    assert form.is_valid(), form.errors
    alert = build(site, found, form)
    alert.membership = member
    alert.email = "" if member else (email or "reader@example.com")
    alert.confirmed_at = alert.since = timezone.now()
    alert.save()
    return alert
