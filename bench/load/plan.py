"""What the load scenario visits, read from the database it runs against: per portal, its
hostname, its section indexes with their later pages and filters, its items, words to search
for with the search page's facet values, and its demo accounts. Written as JSON for the
locustfile.

    DJANGO_SETTINGS_MODULE=... DATABASE_URL=... python bench/load/plan.py plan.json
"""

import json
import math
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

ITEMS_PER_SECTION = 300  # items kept per section and portal (evenly spread)
FILTERS_PER_SECTION = 12  # category and region filters kept per section and portal
WORDS = 60  # search words kept per portal
WORD = re.compile(r"[A-Za-z]{4,}")
# What the scenario calls a page of each section's items.
ITEM_NAMES = {"board": "listing", "directory": "company", "news": "news article"}


def spread(items: list, count: int) -> list:
    """At most ``count`` of ``items``, evenly spread over the list."""
    if len(items) <= count:
        return items
    step = len(items) / count
    return [items[int(i * step)] for i in range(count)]


def local_path(page, root) -> str:
    """A page's path on its portal's host (its tree path without the home page's)."""
    return "/" + page.url_path.removeprefix(root.url_path)


def plan() -> dict:
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from portal.board.models import TradeListingPage
    from portal.core.models import Category, PortalHomePage, Region
    from portal.core.models.pages import ListingIndexPage
    from portal.core.sections import section_type_of
    from portal.members.models import Membership
    from search.labels import doc_type_choices, kind_choices
    from search.params import price_buckets_for
    from search.query import POSTED, SORTS

    portals = []
    for home in PortalHomePage.objects.live().order_by("industry_slug"):
        site = home.get_site()
        sections, items, words = [], {}, Counter()
        for index in home.get_children().live().specific():
            if not isinstance(index, ListingIndexPage):
                continue
            listed = index.listings()
            count = listed.count()
            filters = []
            for kind, value in index.filter_choices()[1:]:
                filtered = index.filtered(kind, value, listings=listed).count()
                if filtered:
                    slug = value.slug if kind == "category" else value.code
                    filters.append([f"{kind}/{slug}/", math.ceil(filtered / index.per_page)])
            sections.append(
                {
                    "path": local_path(index, home),
                    "pages": max(1, math.ceil(count / index.per_page)),
                    "filters": spread(filters, FILTERS_PER_SECTION),
                }
            )
            entry = section_type_of(index)
            name = ITEM_NAMES.get(entry.key if entry else "", "other item")
            pages = list(listed.select_related(None).only("url_path", "title"))
            for page in pages:
                words.update(w.lower() for w in WORD.findall(page.title))
            kept = items.setdefault(name, [])
            kept += [local_path(page, home) for page in spread(pages, ITEMS_PER_SECTION)]
        open_listings = TradeListingPage.objects.open().descendant_of(home).order_by("pk")
        inquiries = [
            [page.pk, local_path(page, home)]
            for page in spread(list(open_listings.only("url_path")), ITEMS_PER_SECTION)
        ]
        members = [
            m.user.email
            for m in Membership.objects.filter(site=site)
            .select_related("user")
            .order_by("user__username")
            if m.user.username.endswith(("-supplier", "-buyer", "-trader"))
        ]
        slug = home.industry_slug
        moderators = list(
            get_user_model()
            .objects.filter(username=f"{slug}-moderator")
            .values_list("username", flat=True)
        )
        portals.append(
            {
                "slug": slug,
                "host": f"{site.hostname}:{site.port}" if site.port != 80 else site.hostname,
                "sections": sections,
                "items": items,
                "inquiry_listings": inquiries,
                "members": members,
                "moderators": moderators,
                "search": {
                    "words": [w for w, _ in words.most_common(WORDS)],
                    "category": list(
                        Category.objects.filter(site=site, is_active=True).values_list(
                            "slug", flat=True
                        )
                    ),
                    "region": list(
                        Region.objects.filter(site=site, is_active=True).values_list(
                            "code", flat=True
                        )
                    ),
                    "type": [key for key, _ in doc_type_choices()],
                    "kind": [key for key, _ in kind_choices()],
                    "price": [key for key, *_ in price_buckets_for(site)],
                    "posted": [key for key, *_ in POSTED],
                    "sort": [key for key, _ in SORTS],
                },
            }
        )
    return {"portals": portals}


if __name__ == "__main__":
    Path(sys.argv[1]).write_text(json.dumps(plan(), indent=1))
