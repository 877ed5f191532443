"""What a member downloads of their own on one portal: listings, inquiries received, quotes
sent and received; and the empty template of a listings file."""

from collections.abc import Iterator

from django.db.models import Q

from portal.board import lifecycle
from portal.board.lifecycle import own_listings
from portal.board.models import Inquiry, Quote, TradeListingPage
from portal.core.models import PortalSettings
from portal.members.models import Membership

from .columns import listing_columns, portal_choices
from .spreadsheets import Sheet


def template_sheets(portal: PortalSettings) -> list[Sheet]:
    """An empty listings sheet, and the portal's choices for its choice columns."""
    choices = portal_choices(portal)
    return [
        Sheet("Listings", listing_columns(), []),
        Sheet(
            "Choices",
            ["column", "value", "meaning"],
            [(c.column, c.value, c.label) for c in choices],
        ),
    ]


def listings_sheet(membership: Membership) -> Sheet:
    """The member's listings on this portal, in the columns of a listings file (so a row can
    be uploaded again) after their id and status."""
    listings = list(
        own_listings(membership)
        .select_related("category", "region")
        .order_by("-latest_revision_created_at", "-pk")
        .specific()
    )
    status = lifecycle.statuses(listings)
    columns = listing_columns()
    return Sheet(
        "Listings",
        ["id", "status", *columns],
        [(page.pk, status[page.pk].label, *_listing_values(page, columns)) for page in listings],
    )


def _listing_values(page: TradeListingPage, columns: list[str]) -> Iterator[object]:
    for name in columns:
        if name == "category":
            yield page.category.slug
        elif name == "region":
            yield page.region.code
        else:
            yield getattr(page, name, None)


def _own_pages(membership: Membership, prefix: str) -> Q:
    """What is the member's, among rows whose page is reached by ``prefix``, on this portal."""
    return membership.owns(prefix) & Q(
        **{f"{prefix}path__startswith": membership.site.root_page.path}
    )


def inquiries_sheet(membership: Membership) -> Sheet:
    inquiries = Inquiry.objects.filter(_own_pages(membership, "listing__")).select_related(
        "listing"
    )
    return Sheet(
        "Inquiries",
        ["received", "listing id", "listing", "name", "email", "company", "quantity", "message"],
        [
            (
                inquiry.created_at,
                inquiry.listing_id,
                inquiry.listing.title,
                inquiry.name,
                inquiry.email,
                inquiry.company,
                inquiry.quantity,
                inquiry.message,
            )
            for inquiry in inquiries
        ],
    )


def quotes_sheet(membership: Membership) -> Sheet:
    """Quotes the member sent, and quotes on their buy requests (withdrawn ones left out, as
    on the dashboard)."""
    related = ("request", "membership__company")
    received = Quote.objects.filter(_own_pages(membership, "request__")).filter(Quote.counted())
    sent = membership.quotes.all()
    rows = [
        _quote_row("sent", quote, quote.request.company)
        for quote in sent.select_related(*related, "request__company")
    ] + [
        _quote_row("received", quote, quote.membership.company)
        for quote in received.select_related(*related)
    ]
    return Sheet(
        "Quotes",
        [
            "direction",
            "sent on",
            "request id",
            "request",
            "other company",
            "price",
            "currency",
            "quantity",
            "unit",
            "lead time (days)",
            "incoterm",
            "status",
            "message",
        ],
        rows,
    )


def _quote_row(direction: str, quote: Quote, company) -> tuple:
    return (
        direction,
        quote.created_at,
        quote.request_id,
        quote.request.title,
        company.title if company else "",
        quote.price,
        quote.currency,
        quote.quantity,
        quote.request.unit,
        quote.lead_time_days,
        quote.incoterm,
        quote.get_status_display(),
        quote.message,
    )


# What a member may download of their own: a dataset's name and the sheet it makes.
DATASETS = {"listings": listings_sheet, "inquiries": inquiries_sheet, "quotes": quotes_sheet}
