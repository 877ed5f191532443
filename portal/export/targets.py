"""Everything a portal's static copy contains, as a list of URL paths with their stamps."""

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from wagtail.models import Site

from portal.core.models import Category, ListingIndexPage, PortalHomePage
from portal.core.models.pages import filter_value
from portal.core.sections import section_type_of
from portal.syndication.feeds import FEED_ITEMS, atom_path, followed_by, items_pointing
from portal.syndication.sitemap import section_slugs, sitemap_files

from .stamps import (
    as_written,
    digest,
    first_page_content,
    public_pages,
    search_page_stamp,
    shown_content,
)

NOT_FOUND_PROBE = "/guildhall-static-export-404/"


@dataclass(frozen=True)
class Target:
    """One file of the export: the URL path it answers and what it was built from."""

    path: str
    stamp: str
    page_id: int | None = None
    # A page served at its own URL: rendered with its route known in advance.
    detail: bool = False
    # Where to request it when that differs from ``path`` (the 404 page), and the status then.
    request_path: str = ""
    status: int = 200
    # What a page linking here shows of it (its title, URL, card): its published revision.
    link_stamp: str = "+"

    @property
    def file(self) -> str:
        """The output file, relative to the portal's folder."""
        relative = self.path.lstrip("/")
        return relative + "index.html" if not relative or relative.endswith("/") else relative


def portal_targets(site: Site) -> list[Target]:
    """Pages, paginated and filtered section indexes, feeds, the files section types add,
    sitemap, robots.txt, the 404 and search pages of the portal at ``site``."""
    root = site.root_page.specific
    if not isinstance(root, PortalHomePage):
        raise ValueError(f"{site.hostname} is not a portal")
    pages = public_pages(root)
    extra = shown_content(root)
    first_pages = first_page_content(root)
    revisions = {pk: stamp for pk, _, _, stamp in pages}
    stamps = {pk: digest(stamp, extra.get(pk, "")) for pk, stamp in revisions.items()}
    sections = [section for section in root.sections() if section.pk in stamps]
    index_ids = {section.pk for section in sections}
    families = _category_families(site)
    # What each section lists under each filter: one query per section.
    listed = {section.pk: _filtered_ids(section, families) for section in sections}
    # The home page shows the newest few of every section.
    home_shows = [
        pk
        for section in sections
        for pk in _latest(section, listed[section.pk], section.home_teasers)
    ]
    stamps[root.pk] = digest(stamps[root.pk], *home_shows)
    # Sections are listed with their filters and pages below.
    targets = [
        Target(path=path, stamp=stamps[pk], page_id=pk, detail=True, link_stamp=revisions[pk])
        for pk, path, _, _ in pages
        if pk not in index_ids
    ]
    for section in sections:
        base = section.get_url_parts()[2]
        targets += _index_targets(
            section,
            base,
            stamps[section.pk],
            revisions[section.pk],
            listed[section.pk],
            first_pages,
        )
        latest = _latest(section, listed[section.pk], FEED_ITEMS)
        feed_stamp = digest(stamps[section.pk], *(stamps.get(pk, pk) for pk in latest))
        for name in ("rss", "atom"):
            targets.append(Target(path=f"/feeds/{section.slug}/{name}.xml", stamp=feed_stamp))
        targets += _filter_feed_targets(section, stamps[section.pk], revisions, listed[section.pk])
        entry = section_type_of(section)
        if entry is not None and entry.export_files is not None:
            for path, stamp in entry.export_files(section):
                targets.append(Target(path=base + path, stamp=digest(stamps[section.pk], stamp)))
    targets += _page_feed_targets(sections, pages, stamps, revisions)
    targets += _sitemap_targets(root, pages, revisions)
    targets += [
        Target(path="/robots.txt", stamp=""),
        Target(path="/search/", stamp=search_page_stamp(root)),
        Target(path="/404.html", stamp="", request_path=NOT_FOUND_PROBE, status=404),
    ]
    return targets


Listed = list[tuple[str | None, Any, list[int]]]  # (filter kind, filter object, ids shown)


def _sitemap_targets(
    root: PortalHomePage, pages: list[tuple[int, str, int, str]], revisions: dict[int, str]
) -> list[Target]:
    """The sitemap's files, each listing its pages' URLs and publication dates (their
    revisions, nothing they show), and their index, which lists the files."""
    files = sitemap_files(pages, lambda page: page[1], section_slugs(root))
    targets = [
        Target(path=path, stamp=digest(*(f"{path}={revisions[pk]}" for pk, path, _, _ in listed)))
        for path, listed in files.items()
    ]
    index = Target(path=reverse("sitemap"), stamp=digest(*files))
    return [index, *targets]


def _index_targets(
    section: ListingIndexPage,
    base: str,
    stamp: str,
    revision: str,
    listed: Listed,
    first_pages: dict[tuple[int, str, str], str],
) -> list[Target]:
    """Every page of the section's listing under every filter its sidebar links to; a
    filter's first page also with what it shows besides its items (``first_pages``)."""
    targets = []
    for kind, choice, pks in listed:
        value = filter_value(choice)
        page_count = max(1, math.ceil(len(pks) / section.per_page))
        first = first_pages.get((section.pk, kind, value), "")
        name = getattr(choice, "name", "")
        for number in range(1, page_count + 1):
            shown = pks[(number - 1) * section.per_page : number * section.per_page]
            more = first if number == 1 else ""
            targets.append(
                Target(
                    path=base + section.filter_suffix(kind, value, number),
                    stamp=digest(stamp, kind, value, name, len(pks), *shown, more),
                    page_id=section.pk,
                    link_stamp=revision,
                )
            )
    return targets


def _filter_feed_targets(
    section: ListingIndexPage, stamp: str, revisions: dict[int, str], listed: Listed
) -> list[Target]:
    """The Atom feed of every filter of the section: its newest items, as published."""
    targets = []
    for kind, choice, pks in listed:
        if kind:
            suffix = section.filter_suffix(kind, filter_value(choice))
            shown = (revisions.get(pk, pk) for pk in pks[:FEED_ITEMS])
            targets.append(
                Target(
                    path=atom_path(section.slug, suffix),
                    stamp=digest(stamp, kind, suffix, getattr(choice, "name", ""), *shown),
                )
            )
    return targets


def _page_feed_targets(
    sections: list[ListingIndexPage],
    pages: list[tuple[int, str, int, str]],
    stamps: dict[int, str],
    revisions: dict[int, str],
) -> list[Target]:
    """The Atom feed of every page that a section's items point to (a company's listings):
    its newest current items, as published. One query per pointing field."""
    types = {ct for _, _, ct, _ in pages}
    models = {ct: ContentType.objects.get_for_id(ct).model_class() for ct in types}
    followed = {
        ct: following
        for ct, model in models.items()
        if model is not None and (following := followed_by(sections, model))
    }
    if not followed:
        return []
    pointed: dict[int, list[tuple[str, int]]] = defaultdict(list)
    published = as_written("first_published_at")
    for section, name in {pair for following in followed.values() for pair in following}:
        for target, shown in items_pointing(section, name, published).items():
            # Ordered as ``feeds.newest`` orders them.
            pointed[target] += ((when or "", pk) for pk, when in shown)
    targets = []
    for pk, path, ct, _ in pages:
        if ct in followed and path.count("/") == 3:  # a section's child: /<section>/<slug>/
            section_slug, slug = path.strip("/").split("/")
            items = sorted(pointed.get(pk, []), reverse=True)
            shown = (revisions.get(item, item) for _, item in items[:FEED_ITEMS])
            targets.append(
                Target(path=atom_path(section_slug, slug + "/"), stamp=digest(stamps[pk], *shown))
            )
    return targets


def _category_families(site: Site) -> dict[int, list[int]]:
    """Each category of the portal with its children (``Category.family_ids``), in one query."""
    families: dict[int, list[int]] = {}
    rows = list(Category.objects.filter(site=site).values_list("pk", "parent_id"))
    for pk, _ in rows:
        families[pk] = [pk]
    for pk, parent in rows:
        if parent in families:
            families[parent].append(pk)
    return families


def _filter_lookups(section: ListingIndexPage) -> dict[str, str]:
    """The filters the section's listings are sorted into by a field of their own: category
    and region (``ListingIndexPage.filtered``), and those its type declares in
    ``filter_lookups`` (a filter kind: the field holding the choice's ``pk``)."""
    lookups = {"category": section.category_lookup, "region": section.region_lookup}
    lookups.update(getattr(section, "filter_lookups", {}))
    return {kind: lookup for kind, lookup in lookups.items() if lookup}


def _filtered_ids(section: ListingIndexPage, families: dict[int, list[int]]) -> Listed:
    """The ids the section lists under each of its filters, in its order.

    ``ListingIndexPage.filtered`` asks the database once per filter; here the section's
    listings are read once with the fields they are filtered by (category, region and any
    its type declares), and each such filter is applied to them in memory: the same lists,
    in one query per section. A section type's own ``filtered`` is asked for the other kinds
    of filter it adds (one query each); category, region and no filter are always
    ``ListingIndexPage``'s."""
    listings = section.listings()
    lookups = _filter_lookups(section)
    rows = listings.values_list("pk", *lookups.values())
    order: list[int] = []
    seen: set[int] = set()
    members: dict[tuple[str, Any], set[int]] = defaultdict(set)
    for pk, *values in rows:
        if pk not in seen:
            seen.add(pk)
            order.append(pk)
        for kind, value in zip(lookups, values, strict=True):
            members[kind, value].add(pk)
    place = {pk: number for number, pk in enumerate(order)}
    listed: Listed = []
    for kind, choice in section.filter_choices():
        if kind is None:
            pks = order
        elif kind in lookups:
            family = families.get(choice.pk) if kind == "category" else None
            if kind == "category" and family is None:
                family = choice.family_ids()
            chosen = set().union(*(members.get((kind, pk), ()) for pk in family or [choice.pk]))
            pks = sorted(chosen, key=place.__getitem__)
        else:
            pks = list(section.filtered(kind, choice, listings).values_list("pk", flat=True))
        listed.append((kind, choice, pks))
    return listed


def _latest(section: ListingIndexPage, listed: Listed, count: int) -> list[int]:
    """The ids of ``section.latest(count)``: the first of its unfiltered list."""
    if type(section).latest is not ListingIndexPage.latest or not listed or listed[0][0]:
        return [page.pk for page in section.latest(count)]
    return listed[0][2][:count]


def portal_sites(slugs: list[str] | None = None) -> list[Site]:
    """The sites of the portals named by ``slugs`` (their industry files), or of all portals."""
    sites = []
    for site in Site.objects.select_related("root_page").order_by("hostname"):
        root = site.root_page.specific
        if isinstance(root, PortalHomePage) and (slugs is None or root.industry_slug in slugs):
            sites.append(site)
    if slugs is not None:
        found = {site.root_page.specific.industry_slug for site in sites}
        missing = [slug for slug in slugs if slug not in found]
        if missing:
            raise LookupError(f"no portal launched for: {', '.join(missing)}")
    return sites
