"""Demo alerts for the demo members (``manage.py demo_users``) and a subscriber by email:
a saved search, a followed company and category, a price alert. Deterministic and idempotent;
they look back a week, so the first ``send_alerts`` has something to send."""

from datetime import timedelta
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone
from wagtail.models import Site

from portal.board.models import BoardIndexPage, TradeListingPage
from portal.core.models import PortalHomePage
from portal.members.models import Membership
from portal.prices.models import PriceSeriesPage

from .models import ABOVE, DAILY, INSTANT, WEEKLY, Alert
from .targets import Target, price_label, read_category, read_company, read_series, read_url

DEMO_LOOKBACK = timedelta(days=7)


def demo_alerts(home: PortalHomePage) -> list[str]:
    """Seed the alerts of ``home``'s demo accounts; a line for each."""
    site = Site.objects.get(root_page=home)
    board = BoardIndexPage.objects.live().child_of(home).first()
    slug = home.industry_slug
    buyer = Membership.objects.filter(site=site, user__email=f"buyer@{slug}.example").first()
    if board is None or buyer is None:
        return []
    listings = TradeListingPage.objects.open().child_of(board)
    top = (
        listings.values("category__slug", "company_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "category__slug")
        .first()
    )
    if top is None:
        return []
    category = top["category__slug"]
    company = listings.exclude(company__isnull=True).values_list("company_id", flat=True)
    company_id = company.order_by("company_id").first()
    region = listings.values_list("region_id", flat=True).order_by("region_id").first()
    base = board.url_path[len(home.url_path) - 1 :]
    plans = [
        (read_url(site, f"{base}category/{category}/"), INSTANT, {}),
        (read_category(site, category), WEEKLY, {"excluded_regions": [region]}),
    ]
    if company_id:
        plans.append((read_company(site, str(company_id)), DAILY, {}))
    lines = [_keep(site, target, frequency, extra, buyer) for target, frequency, extra in plans]
    series = PriceSeriesPage.objects.live().descendant_of(home).order_by("pk").first()
    if series is not None:
        lines.append(_price(site, read_series(site, str(series.pk)), series, buyer))
    search = read_url(site, "/search/?kind=sell")
    lines.append(_keep(site, search, DAILY, {}, None, email=f"watcher@{slug}.example"))
    return lines


def _keep(site: Site, target: Target, frequency: str, extra: dict, member, email: str = "") -> str:
    now = timezone.now()
    values = {
        "source_url": target.source_url,
        "filters": target.filters.dump() if target.filters else {},
        "company": target.company,
        "series": target.series,
        "frequency": frequency,
        "confirmed_at": now,
        "unsubscribed_at": None,
        "paused_at": None,
        **extra,
    }
    alert, _ = Alert.objects.update_or_create(
        site=site,
        membership=member,
        email=email,
        kind=target.kind,
        label=target.label,
        defaults=values,
        create_defaults={**values, "since": now - DEMO_LOOKBACK},  # a new one looks back
    )
    return f"{alert.recipient}: {alert.get_kind_display().lower()} “{alert.label}”"


def _price(site: Site, target: Target, series: PriceSeriesPage, member) -> str:
    """An alert on the series rising above a value just under its latest one, set as if
    before that point was published: the first run sends it."""
    latest = series.points.filter(value__isnull=False).order_by("-period_end").first()
    if latest is None:
        return f"{series.title}: no price yet"
    threshold = (latest.value * Decimal("0.99")).quantize(Decimal("0.01"))
    label = price_label(series.title, ABOVE, threshold, series.unit_label)
    target = Target(target.kind, label, source_url=target.source_url, series=series)
    extra = {"direction": ABOVE, "threshold": threshold, "is_past": False}
    return _keep(site, target, INSTANT, extra, member)
