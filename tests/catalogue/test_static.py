"""The static copy holds the catalogue: product pages, the products section under each of its
filters (company included), company pages listing their products, the products in Pagefind;
a product approved later reaches its company's page at the next build."""

from urllib.parse import urlsplit

import pytest
from django.utils.html import escape
from wagtail.models import Site

from portal.catalogue.models import ProductIndexPage, ProductPage
from portal.catalogue.shown import shown_content
from portal.export import pagefind

from ..support import build_static
from .conftest import allow_products, decide, member_client

pytestmark = pytest.mark.django_db


def built(out, page, suffix: str = "") -> str:
    relative = page.url_path.split("/", 2)[2] + suffix
    return (out / "steel.localhost" / relative / "index.html").read_text()


def test_the_static_copy_holds_products_their_lists_and_company_pages(steel, static_steel):
    catalogue = ProductIndexPage.objects.child_of(steel).get()
    product = catalogue.listings().first()
    assert product is not None
    title = escape(product.title)
    assert title in built(static_steel, product)
    assert title in built(static_steel, catalogue) or catalogue.listings().count() > 20
    assert title in built(static_steel, catalogue, f"category/{product.category.slug}/")
    assert title in built(static_steel, catalogue, f"company/{product.company.slug}/")
    company_page = built(static_steel, product.company)
    assert title in company_page
    assert f"company/{product.company.slug}/" in company_page
    path = urlsplit(product.url).path
    shards = pagefind.Shards(Site.objects.get(root_page=steel), {path})
    records = [record for shard in shards.stamps for record in shards.records(shard)]
    assert [(r["url"], r["filters"]["Type"]) for r in records] == [(path, ["Products"])]


def test_a_company_pages_stamp_follows_its_live_products(steel):
    product = ProductPage.objects.live().descendant_of(steel).first()
    shown = shown_content(steel)
    assert (product.pk, product.live_revision_id) in shown[product.company_id]


@pytest.mark.export
@pytest.mark.slow
def test_an_approved_product_reaches_the_static_copy(
    steel, site_of, member, product_data, tmp_path
):
    out = tmp_path / "static"
    build_static(out)
    assert escape(product_data["title"]) not in built(out, member.company)
    allow_products(site_of(steel), member.company, 5)
    member_client(member).post("/members/products/add/", product_data)
    product = ProductPage.objects.get(company=member.company, title=product_data["title"])
    decide(product, site_of(steel), "approve")
    build_static(out)
    assert escape(product.title) in built(out, member.company)
    assert "DC01" in built(out, ProductPage.objects.get(pk=product.pk))


def test_a_product_change_changes_its_company_pages_stamp(steel, site_of, member, product_data):
    """What the page cache purges after a change: every path whose stamp changed."""
    from portal.export.targets import portal_targets

    def company_stamp() -> str:
        targets = portal_targets(site_of(steel))
        return next(t.stamp for t in targets if t.page_id == member.company.pk)

    before = company_stamp()
    allow_products(site_of(steel), member.company, 5)
    member_client(member).post("/members/products/add/", product_data)
    product = ProductPage.objects.get(company=member.company, title=product_data["title"])
    assert company_stamp() == before  # awaiting moderation: not shown yet
    decide(product, site_of(steel), "approve")
    assert company_stamp() != before
