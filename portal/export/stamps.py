"""What each public page of a portal was built from, as short digests.

A page's stamp changes when its own published revision does, and also when something it
shows without linking to it changes: the open listings it is matched with, the quotes counted
on a buy request, a company's current listings. Changes to pages it links to are caught by
the manifest (see ``manifest.py``), which folds the stamps of linked pages in.
"""

import hashlib
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count
from wagtail.models import Page

from portal.board.models import BoardIndexPage, Quote, TradeListingPage
from portal.board.models.listings import open_listings

COMPANY_LISTINGS = 6  # as many as CompanyPage.current_listings shows
MATCHES = 6  # as many as a listing page shows


def digest(*parts: object) -> str:
    text = "\x1f".join(str(part) for part in parts)
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def public_pages(root: Page) -> list[tuple[int, str, int, str]]:
    """``(pk, url path below the portal, content type, revision stamp)`` of every page the
    portal serves: live, public, and for listings still open."""
    closed = set(
        TradeListingPage.objects.live()
        .descendant_of(root)
        .exclude(TradeListingPage.current())
        .values_list("pk", flat=True)
    )
    rows = (
        Page.objects.live()
        .public()
        .descendant_of(root, inclusive=True)
        .values_list(
            "pk", "url_path", "content_type", "live_revision_id", "last_published_at", "title"
        )
        .order_by("path")
    )
    prefix = len(root.url_path) - 1
    verified = verified_today(root)
    return [
        (
            pk,
            url_path[prefix:],
            content_type,
            digest(pk, revision, published, title, pk in verified),
        )
        for pk, url_path, content_type, revision, published, title in rows
        if pk not in closed
    ]


def verified_today(root: Page) -> set[int]:
    """Companies showing the "Verified" badge today (it lapses by date, without an edit)."""
    from portal.directory.models import CompanyPage

    companies = (
        CompanyPage.objects.descendant_of(root)
        .filter(verified_on__isnull=False)
        .only("verified_on", "verification_expires")
    )
    return {company.pk for company in companies if company.is_verified()}


def _grouped(rows: Iterable[tuple], key_size: int) -> dict[tuple, list[int]]:
    groups: dict[tuple, list[int]] = defaultdict(list)
    for row in rows:
        groups[tuple(row[:key_size])].append(row[key_size])
    return groups


def shown_content(root: Page) -> dict[int, str]:
    """Extra stamps for pages whose content depends on other pages than their own."""
    extra: dict[int, list[object]] = defaultdict(list)
    listings = TradeListingPage.objects.none()
    for board in BoardIndexPage.objects.child_of(root):
        listings |= open_listings(board)
    listings = listings.order_by("-first_published_at", "-pk")
    # Matches: open listings of the other kind in the same category and region.
    rows = list(listings.values_list("kind", "category_id", "region_id", "pk"))
    groups = _grouped(rows, 3)
    for kind, category, region, pk in rows:
        opposite = TradeListingPage.OPPOSITE[kind]
        extra[pk].append(groups.get((opposite, category, region), [])[:MATCHES])
    # Quote counts on buy requests.
    counts = (
        Quote.objects.filter(Quote.counted(), request__path__startswith=root.path)
        .values_list("request_id")
        .annotate(count=Count("pk"))
    )
    for request_id, count in counts:
        extra[request_id].append(("quotes", count))
    # A company's current listings.
    by_company = _grouped(listings.filter(company__isnull=False).values_list("company_id", "pk"), 1)
    for (company,), pks in by_company.items():
        extra[company].append(pks[:COMPANY_LISTINGS])
    return {pk: digest(*parts) for pk, parts in extra.items()}


CODE_FOLDERS = ("themes", "portal", "search")


def code_stamp() -> str:
    """Changes whenever a template, asset or module of the product changes on disk."""
    from django.conf import settings

    parts = []
    for name in CODE_FOLDERS:
        for path in sorted((settings.BASE_DIR / name).rglob("*")):
            if path.suffix in {".py", ".html", ".txt", ".css", ".js", ".svg", ".png", ".xml"}:
                stat = path.stat()
                parts.append(f"{path}:{stat.st_size}:{stat.st_mtime_ns}")
    return digest(*parts)


def portal_stamp(site, *options: object) -> str:
    """What every page of a portal shows: its settings, menu, taxonomy, and the build options.

    When it changes, the whole portal is rendered again.
    """
    from django.forms.models import model_to_dict

    from portal.core.models import Category, PortalSettings, Region

    settings_row = PortalSettings.objects.filter(site=site).first()
    root = site.root_page
    menu = list(
        root.get_children()
        .live()
        .values_list("pk", "title", "slug", "show_in_menus", "last_published_at")
    )
    categories = list(
        Category.objects.filter(site=site).values_list("pk", "slug", "name", "parent", "is_active")
    )
    regions = list(Region.objects.filter(site=site).values_list("pk", "code", "name", "is_active"))
    return digest(
        site.hostname,
        site.port,
        site.site_name,
        root.title,
        root.last_published_at,
        model_to_dict(settings_row) if settings_row else "",
        menu,
        categories,
        regions,
        code_stamp(),
        *options,
    )
