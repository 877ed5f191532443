"""The private Atom feed of a listing alert: ``/alerts/<token>/atom.xml``, its secret token
the only key. It lists the open listings of the portal that match now, newest first."""

from django.contrib.syndication.views import Feed
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator

from portal.board.models import NEWEST_FIRST, TradeListingPage
from portal.core.context import portal_site
from portal.mail import absolute

from .filters import ListingFilter, facts_of
from .models import Alert

FEED_ITEMS = 30
SCANNED = 1000  # newest candidates read for the words and prices only Python checks


def candidates(alert: Alert, wanted: ListingFilter) -> QuerySet:
    """Open listings of the alert's portal, narrowed by what the database can check."""
    rows = TradeListingPage.objects.open().descendant_of(alert.site.root_page)
    if wanted.company is not None:
        rows = rows.filter(company_id=wanted.company)
    if wanted.kinds:
        rows = rows.filter(kind__in=wanted.kinds)
    if wanted.categories:
        cats = list(wanted.categories)
        rows = rows.filter(Q(category_id__in=cats) | Q(category__parent_id__in=cats))
    if wanted.regions:
        rows = rows.filter(region_id__in=list(wanted.regions))
    if wanted.excluded_regions:
        rows = rows.exclude(region_id__in=list(wanted.excluded_regions))
    return rows


def matching_listings(alert: Alert, limit: int = FEED_ITEMS) -> list[TradeListingPage]:
    """Open listings of the alert's portal that it matches, newest first."""
    wanted = ListingFilter.load(alert.filters, alert.excluded_regions)
    rows = candidates(alert, wanted)
    rows = rows.select_related("category", "region", "company").order_by(*NEWEST_FIRST)
    found = []
    for row in rows[:SCANNED]:
        if wanted.matches(facts_of(row, alert.site_id)):
            found.append(row)
            if len(found) == limit:
                break
    return found


class AlertFeed(Feed):
    feed_type = Atom1Feed

    def __call__(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().__call__(request, *args, **kwargs)
        patch_cache_control(response, private=True, max_age=0)
        response["X-Robots-Tag"] = "noindex"
        return response

    def get_object(self, request: HttpRequest, token: str) -> Alert:
        site = portal_site(request)
        alert = (
            Alert.objects.current()
            .exclude(kind=Alert.PRICE)
            .filter(feed_token=token, site=site, confirmed_at__isnull=False)
            .select_related("site")
            .first()
            if site is not None and len(token) <= 40
            else None
        )
        if alert is None:
            raise Http404("No such feed.")
        return alert

    def title(self, alert: Alert) -> str:
        return f"{alert.label} · {alert.site.site_name}"

    def link(self, alert: Alert) -> str:
        return absolute(alert.site, alert.source_url or "/")

    def subtitle(self, alert: Alert) -> str:
        return f"New listings for your alert “{alert.label}”."

    def items(self, alert: Alert) -> list[TradeListingPage]:
        items = matching_listings(alert)
        root = alert.site.root_page.url_path
        for item in items:  # the instance serves every request: no state on it
            item.alert_link = absolute(alert.site, "/" + item.url_path[len(root) :])
        return items

    def item_title(self, item: TradeListingPage) -> str:
        return f"{item.get_kind_display()}: {item.title}"

    def item_description(self, item: TradeListingPage) -> str:
        return Truncator(item.description).words(60)

    def item_link(self, item: TradeListingPage) -> str:
        return item.alert_link

    def item_pubdate(self, item: TradeListingPage):
        return item.first_published_at

    def item_categories(self, item: TradeListingPage) -> list[str]:
        return [item.category.name, item.region.name]
