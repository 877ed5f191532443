"""A bulk static build looks up once, for every page, what each page would look up for itself
(a company's listings, products, plan and response figures; a listing's matches and a buy
request's quotes; the items of every feed): the bytes it writes are those of each page
rendered alone, as the live site and small builds render them."""

import re
from datetime import date, timedelta

from django.utils import timezone

from portal import rendering
from portal.board import page_context as board_context
from portal.board.forms import InquiryForm
from portal.board.models import BuyRequestPage, Quote, TradeListingPage
from portal.board.models import listings as board_listings
from portal.catalogue.models import ProductPage
from portal.core.loading import load_pages
from portal.directory.models import CheckScope, CompanyPage
from portal.export.render import Renderer
from portal.export.targets import portal_targets

from .conftest import host
from .leads.conftest import inquiry_for
from .plans.conftest import make_plan, subscribe
from .verification.conftest import record

BASE = "https://steel.example.org"
# What differs between two renderings of the same page: a form's start token.
VOLATILE = re.compile(rb'name="started" value="[^"]*"')


def rendered(renderer: Renderer, targets) -> dict[str, bytes]:
    pages = load_pages([t.page_id for t in targets if t.detail])
    found = {}
    for target in targets:
        status, body = renderer.respond(target, pages.get(target.page_id))
        assert status == target.status, target.path
        found[target.path] = VOLATILE.sub(b"", body)
    return found


def test_a_bulk_build_renders_company_pages_and_feeds_as_each_alone(steel, site_of, monkeypatch):
    # The first pages of the bulk build ask alone too; the rest are answered from the
    # lookups made for all of them.
    monkeypatch.setattr(rendering, "GROUP_AFTER", 3)
    site = site_of(steel)
    companies = CompanyPage.objects.live().descendant_of(steel).order_by("pk")
    subscribe(companies[0], make_plan(steel, "gold"))
    listing = TradeListingPage.objects.open().filter(company=companies[1]).first()
    for _ in range(3):
        inquiry_for(listing, replied_at=timezone.now())
    record(companies[2])
    record(companies[2], CheckScope.ADDRESS)
    record(companies[3], CheckScope.SITE_VISIT, inspector="A. Inspector")
    record(companies[3], on=date.today() - timedelta(days=400))  # expired
    targets = [
        t
        for t in portal_targets(site)
        if t.path.startswith(("/directory/", "/feeds/")) or t.path.endswith(".ics")
    ]

    grouping = Renderer(site.pk, BASE, BASE, bulk=True)
    bulk = rendered(grouping, targets)
    alone = rendered(Renderer(site.pk, BASE, BASE, bulk=False), targets)
    grouped = {
        "company-listings",
        "company-products",
        "paid-plans",
        "response-figures",
        "current-checks",
    }
    assert grouped <= {key[0] for key in grouping.memo.values}
    assert {"feed-pages", "items-pointing"} <= {key[0] for key in grouping.memo.values}

    assert bulk.keys() == alone.keys()
    for path, body in bulk.items():
        assert body == alone[path], path
    # What the company pages show of other apps is there to compare.
    pages = b"".join(bulk[c.url_path.removeprefix(steel.url_path[:-1])] for c in companies)
    assert b"Gold member since" in pages and b"% of them" in pages
    assert b"Current listings" in pages and b'class="company-products"' in pages
    checks = bulk[companies[2].url_path.removeprefix(steel.url_path[:-1])]
    assert checks.index(b"check--registration") < checks.index(b"check--address")
    assert b"inspector A. Inspector" in pages
    assert ProductPage.objects.live().descendant_of(steel).exists()
    feed = bulk[f"/feeds/directory/{companies[1].slug}/atom.xml"]
    assert feed.count(b"<entry>") >= 1


def test_a_bulk_build_renders_board_listings_as_each_alone(
    steel, site_of, monkeypatch, make_member
):
    monkeypatch.setattr(rendering, "GROUP_AFTER", 3)
    monkeypatch.setattr(board_listings, "GROUP_MATCHES_AFTER", 3)
    site = site_of(steel)
    requests = BuyRequestPage.objects.open().descendant_of(steel).order_by("-pk")
    quoted, withdrawn = requests[0], requests[1]
    quotes = [(quoted, "one", Quote.SUBMITTED), (quoted, "two", Quote.ACCEPTED)]
    for request, member, status in [*quotes, (withdrawn, "three", Quote.WITHDRAWN)]:
        Quote.objects.create(
            request=request,
            membership=make_member(steel, member),
            price=1,
            currency="USD",
            quantity=1,
            lead_time_days=1,
            status=status,
        )
    targets = [t for t in portal_targets(site) if t.detail and t.path.startswith("/board/")]
    # The quoted requests come last: they are answered from the lookups made for all.
    last = {quoted.pk, withdrawn.pk}
    targets.sort(key=lambda t: t.page_id in last)

    grouping = Renderer(site.pk, BASE, BASE, bulk=True)
    bulk = rendered(grouping, targets)
    alone = rendered(Renderer(site.pk, BASE, BASE, bulk=False), targets)
    assert {"match-groups", "quote-counts"} <= {key[0] for key in grouping.memo.values}

    assert bulk.keys() == alone.keys()
    for path, body in bulk.items():
        assert body == alone[path], path
    shown = {t.page_id: bulk[t.path] for t in targets if t.page_id in last}
    assert b"<dd>2 of " in shown[quoted.pk] and b"<dd>0 of " in shown[withdrawn.pk]
    assert sum(b'class="matches' in body for body in bulk.values()) >= 3


def test_blocks_kept_for_a_build_are_those_each_page_renders(steel, site_of, monkeypatch):
    """The header and a list's sidebar are rendered once per build for each section, page
    template and filter: pages of other sections, templates and filters show their own.
    Each section's items are loaded together for all its lists."""
    monkeypatch.setattr(rendering, "GROUP_AFTER", 3)
    site = site_of(steel)
    targets = portal_targets(site)
    chosen: dict[tuple, object] = {}
    for target in targets:
        section = target.path.split("/")[1]
        kind = "detail" if target.detail else target.path.rsplit(".", 1)[-1]
        # Two pages of each (section, kind, filter) at most.
        filtered = "/category/" in target.path or "/region/" in target.path
        key = (section, kind, filtered, target.path.count("/"))
        if sum(1 for k in chosen if k[:4] == key) < 2:
            chosen[(*key, target.path)] = target
    sample = list(chosen.values())
    assert len({t.path.split("/")[1] for t in sample}) >= 6

    kept = Renderer(site.pk, BASE, BASE, bulk=True)
    together = rendered(kept, sample)
    assert any(key[0] == "block" for key in kept.memo.values)
    assert any(key[0][0] == "listed-items" and key[1] == "every" for key in kept.memo.values)
    for target in sample:
        alone = rendered(Renderer(site.pk, BASE, BASE, bulk=False), [target])
        assert together[target.path] == alone[target.path], target.path
    # The menu marks the page's own section.
    current = re.compile(rb'href="[^"]*/(\w+)/" aria-current="page"')
    assert current.findall(together["/board/"]) == [b"board"]
    assert current.findall(together["/news/"]) == [b"news"]


def test_a_build_makes_a_blank_form_once_and_shows_its_fields_as_the_live_site_does(
    steel, site_of, client, monkeypatch
):
    made = []

    class Counted(InquiryForm):
        def __init__(self, *args, **kwargs):
            made.append(self)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(board_context, "InquiryForm", Counted)
    site = site_of(steel)
    listings = [t for t in portal_targets(site) if t.detail and t.path.startswith("/board/")]
    renderer = Renderer(site.pk, BASE, BASE, bulk=True)
    pages = load_pages([t.page_id for t in listings[:3]])
    built = [renderer.respond(t, pages[t.page_id])[1] for t in listings[:3]]
    assert len(made) == 1

    fields = re.compile(rb'<div class="field.*?(?=<div class="hp-field")', re.S)
    live = client.get(listings[0].path, HTTP_HOST=host("steel")).content
    assert b'name="message"' in fields.search(live).group()
    assert [fields.search(body).group() for body in built] == [fields.search(live).group()] * 3
    # Each page still carries a start token of its own.
    tokens = [VOLATILE.search(body).group() for body in built]
    assert len(set(tokens)) == 3
