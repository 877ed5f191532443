"""A member keeps their company's catalogue: adds a product, the moderators approve or reject
it, it shows on the company page, in the products section and in search; the plan's size
holds; nobody reaches another company's or another portal's products."""

from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils.html import escape
from PIL import Image as PILImage
from wagtail.models import WorkflowState

from portal.catalogue.models import ProductIndexPage, ProductPage

from .conftest import STEEL, TEXTILES, allow_products, decide, member_client

pytestmark = pytest.mark.django_db


def picture(name: str = "strip.png") -> SimpleUploadedFile:
    import io

    out = io.BytesIO()
    PILImage.new("RGB", (40, 30), "steelblue").save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def add(client: Client, data: dict, **files):
    response = client.post("/members/products/add/", {**data, **files})
    return response


def path_of(page) -> str:
    return urlsplit(page.url).path


def test_a_product_goes_through_moderation_onto_the_company_page_and_search(
    steel, site_of, member, product_data
):
    client = member_client(member)
    allow_products(site_of(steel), member.company, 5)
    response = add(client, product_data, images=[picture()])
    assert response.status_code == 302 and response["Location"] == "/members/products/"
    product = ProductPage.objects.get(company=member.company, title=product_data["title"])
    assert not product.live
    assert product.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    listed = client.get("/members/products/").content.decode()
    assert "Awaiting moderation" in listed and escape(product.title) in listed

    anonymous = Client(HTTP_HOST=STEEL)
    company_url = path_of(member.company)
    assert escape(product.title) not in anonymous.get(company_url).content.decode()

    decide(product, site_of(steel), "approve")
    product.refresh_from_db()
    assert product.live
    assert "Live" in client.get("/members/products/").content.decode()
    page = anonymous.get(path_of(product)).content.decode()
    assert escape(product.title) in page
    assert "DC01" in page and "Thickness" in page  # the specification table
    assert "720" in page and "760" in page
    assert '"@type": "Product"' in page or '"@type":"Product"' in page
    assert member.user.email not in page
    assert product.gallery() and product.gallery()[0].collection == (
        product.get_parent().specific.portal_settings.collection
    )

    company = anonymous.get(company_url).content.decode()
    assert escape(product.title) in company
    catalogue = ProductIndexPage.objects.child_of(steel).get()
    full = f"{path_of(catalogue)}company/{member.company.slug}/"
    assert full in company
    listing = anonymous.get(full).content.decode()
    assert escape(product.title) in listing and escape(member.company.title) in listing
    assert anonymous.get(f"{path_of(catalogue)}company/no-such-company/").status_code == 404

    found = anonymous.get("/search/", {"q": "DC01", "type": "product"}).content.decode()
    assert escape(product.title) in found


def test_a_rejected_product_shows_the_reason_and_can_be_sent_again(
    steel, site_of, member, product_data
):
    client = member_client(member)
    allow_products(site_of(steel), member.company, 5)
    add(client, product_data)
    product = ProductPage.objects.get(company=member.company, title=product_data["title"])
    decide(product, site_of(steel), "reject", "Name the coating standard, please.")
    listed = client.get("/members/products/").content.decode()
    assert "Rejected" in listed and "Name the coating standard, please." in listed
    form = client.get(f"/members/products/{product.pk}/edit/").content.decode()
    assert "Name the coating standard, please." in form and "DC01" in form
    edited = {**product_data, "summary": "Slit strip, coated to EN 10152."}
    response = client.post(f"/members/products/{product.pk}/edit/", edited)
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert product.get_latest_revision_as_object().summary == edited["summary"]


def test_bad_input_rerenders_with_messages_and_keeps_what_was_typed(member, product_data):
    client = member_client(member)
    bad = {
        **product_data,
        "summary": "See <b>our</b> site",
        "specification": "Grade DC01",
        "price_min": "800",
        "price_max": "700",
    }
    response = client.post("/members/products/add/", bad)
    text = response.content.decode()
    assert response.status_code == 200
    assert "Plain text only" in text
    assert "as “name: value”" in text
    assert "Must not be below the lower end." in text
    assert escape(product_data["title"]) in text
    assert not ProductPage.objects.filter(title=product_data["title"]).exists()


def test_over_the_plans_catalogue_size_the_form_keeps_the_input(
    steel, site_of, member, product_data
):
    client = member_client(member)
    allow_products(site_of(steel), member.company, 0)
    before = ProductPage.objects.filter(company=member.company).count()
    response = add(client, product_data, images=[picture()])
    text = response.content.decode()
    assert response.status_code == 200
    assert "catalogue products" in text and "nothing was saved" in text
    assert escape(product_data["title"]) in text and "Thickness: 0.5 mm" in text
    assert ProductPage.objects.filter(company=member.company).count() == before


def test_withdrawing_takes_a_live_product_off_and_frees_its_place(
    steel, site_of, member, product_data
):
    client = member_client(member)
    allow_products(site_of(steel), member.company, 1)
    add(client, product_data)
    product = ProductPage.objects.get(company=member.company, title=product_data["title"])
    decide(product, site_of(steel), "approve")
    assert client.post(f"/members/products/{product.pk}/withdraw/").status_code == 302
    product.refresh_from_db()
    assert not product.live and product.withdrawn_on
    assert Client(HTTP_HOST=STEEL).get(path_of(member.company)).status_code == 200
    assert (
        escape(product.title)
        not in Client(HTTP_HOST=STEEL).get(path_of(member.company)).content.decode()
    )
    again = {**product_data, "title": "Another strip"}
    assert add(client, again).status_code == 302  # the withdrawn one no longer counts


def test_another_members_or_another_portals_products_are_404(
    steel, textiles, site_of, member, other_member, make_member, product_data
):
    allow_products(site_of(steel), member.company, 5)
    add(member_client(member), product_data)
    product = ProductPage.objects.get(company=member.company, title=product_data["title"])
    urls = [f"/members/products/{product.pk}/edit/", f"/members/products/{product.pk}/withdraw/"]
    rival = member_client(other_member)
    assert rival.get(urls[0]).status_code == 404
    assert rival.post(urls[1]).status_code == 404
    elsewhere = make_member(textiles, "cataloguer-elsewhere")
    abroad = member_client(elsewhere, TEXTILES)
    assert abroad.get(urls[0]).status_code == 404
    assert abroad.post(urls[1]).status_code == 404
    # The same person as a member of another portal reaches nothing of this one either.
    same_person = member_client(member, TEXTILES)
    assert same_person.get(urls[0]).status_code in (302, 404)
    product.refresh_from_db()
    assert product.withdrawn_on is None
    anonymous = Client(HTTP_HOST=STEEL)
    for url in ["/members/products/", "/members/products/add/", urls[0]]:
        response = anonymous.get(url)
        assert response.status_code == 302 and "login" in response["Location"]


def test_the_products_section_lists_demo_products_by_category_and_region(steel):
    catalogue = ProductIndexPage.objects.child_of(steel).get()
    client = Client(HTTP_HOST=STEEL)
    index = client.get(path_of(catalogue)).content.decode()
    product = catalogue.listings().first()
    assert product is not None and escape(product.title) in index
    category = client.get(f"{path_of(catalogue)}category/{product.category.slug}/")
    assert escape(product.title) in category.content.decode()
    region = client.get(f"{path_of(catalogue)}region/{product.company.region.code}/")
    assert escape(product.title) in region.content.decode()
    assert client.get(f"{path_of(catalogue)}page/999/").status_code == 404


def test_launching_again_keeps_one_products_section(steel):
    from django.core.management import call_command

    from ..conftest import DOMAIN

    before = ProductPage.objects.descendant_of(steel).count()
    call_command("launch_portal", "steel", domain=DOMAIN, verbosity=0)
    assert ProductIndexPage.objects.child_of(steel).count() == 1
    assert ProductPage.objects.descendant_of(steel).count() == before


def test_a_member_without_a_company_has_no_catalogue(member, product_data):
    member.company = None
    member.save()
    client = member_client(member)
    page = client.get("/members/products/")
    assert page.status_code == 200 and "your membership has none yet" in page.content.decode()
    assert client.get("/members/products/add/").status_code == 404
    assert client.post("/members/products/add/", product_data).status_code == 404
    assert client.get("/members/transfers/products/").status_code == 404


def test_the_dashboard_offers_the_catalogue_only_where_the_portal_has_one(member, steel):
    client = member_client(member)
    assert 'href="/members/products/"' in client.get("/members/").content.decode()
    ProductIndexPage.objects.child_of(steel).get().unpublish()
    assert 'href="/members/products/"' not in client.get("/members/").content.decode()
