"""New open listings of each portal, read once per run and indexed for matching."""

from collections import defaultdict
from dataclasses import replace
from datetime import datetime
from typing import Any

from wagtail.models import Site

from portal.board.models import SellOfferPage, TradeListingPage
from portal.core.models import PortalHomePage

from .filters import ListingFacts, ListingFilter, facts_of


def portal_sites() -> list[Site]:
    return [
        site
        for site in Site.objects.select_related("root_page")
        if isinstance(site.root_page.specific, PortalHomePage)
    ]


class NewListings:
    """The open listings of every portal first published between ``since`` and ``until``:
    the only listings an alert may send (closed, expired, withdrawn and private ones are never
    here)."""

    def __init__(self, since: datetime, until: datetime, sites: list[Site] | None = None) -> None:
        self.sites = sites if sites is not None else portal_sites()
        rows = list(
            TradeListingPage.objects.open()
            .filter(first_published_at__gte=since, first_published_at__lte=until)
            .select_related("category", "region", "company")
            .order_by("-first_published_at", "-pk")
        )
        specs = dict(
            SellOfferPage.objects.filter(pk__in=[row.pk for row in rows])
            .exclude(specification="")
            .values_list("pk", "specification")
        )
        self.pages: dict[int, TradeListingPage] = {}
        self.facts: dict[int, ListingFacts] = {}
        self.published: dict[int, datetime] = {}
        self.by_site: dict[int, list[ListingFacts]] = defaultdict(list)
        self.by_family: dict[tuple[int, int], list[ListingFacts]] = defaultdict(list)
        self.by_company: dict[int, list[ListingFacts]] = defaultdict(list)
        self._matched: dict[tuple[int, ListingFilter], list[ListingFacts]] = {}
        self.lines: dict[int, str] = {}  # each listing as emails show it, made once a run
        for row in rows:
            site = self.site_of(row)
            if site is None:
                continue
            row.specification = specs.get(row.pk, "")
            facts = facts_of(row, site.pk)
            self.pages[row.pk], self.facts[row.pk] = row, facts
            self.published[row.pk] = row.first_published_at
            self.by_site[site.pk].append(facts)
            for category_id in facts.family:
                self.by_family[(site.pk, category_id)].append(facts)
            if facts.company_id:
                self.by_company[facts.company_id].append(facts)

    def site_of(self, page: Any) -> Site | None:
        return next((s for s in self.sites if page.path.startswith(s.root_page.path)), None)

    def candidates(self, site_id: int, wanted: ListingFilter) -> list[ListingFacts]:
        """The listings of the portal that may match ``wanted``, from the narrowest index."""
        if wanted.company is not None:
            return [f for f in self.by_company.get(wanted.company, []) if f.site_id == site_id]
        if wanted.categories:
            if len(wanted.categories) == 1:
                return self.by_family.get((site_id, wanted.categories[0]), [])
            seen: dict[int, ListingFacts] = {}
            for category_id in wanted.categories:
                for facts in self.by_family.get((site_id, category_id), []):
                    seen[facts.pk] = facts
            return list(seen.values())
        return self.by_site.get(site_id, [])

    def matching(self, site_id: int, wanted: ListingFilter, after: datetime) -> list[int]:
        """Ids of the listings matching ``wanted`` first published at or after ``after``,
        newest first. Alerts with the same filter (many follow the same category or save
        the same search) are matched once."""
        key = (site_id, replace(wanted, excluded_regions=frozenset()))
        found = self._matched.get(key)
        if found is None:
            found = self._matched[key] = [
                facts for facts in self.candidates(site_id, key[1]) if key[1].matches(facts)
            ]
        excluded = wanted.excluded_regions
        return [
            facts.pk
            for facts in found
            if self.published[facts.pk] >= after and facts.region_id not in excluded
        ]
