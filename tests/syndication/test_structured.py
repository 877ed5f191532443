"""schema.org data, social cards and canonical links, as crawlers read them (extruct)."""

import re
from datetime import date, timedelta

import extruct
from bs4 import BeautifulSoup

from portal.board.models import BuyRequestPage, SellOfferPage, TradeListingPage
from portal.core.models import PortalHomePage
from portal.directory.models import CompanyPage
from portal.events.models import EventPage
from portal.news.models import NewsArticlePage
from portal.prices.models import PriceSeriesPage

from ..conftest import host

ROOT = "http://steel.localhost:8000"


def page_html(client, path: str, home: str = "steel") -> str:
    response = client.get(path, HTTP_HOST=host(home))
    assert response.status_code == 200, path
    return response.content.decode()


def json_ld(html: str) -> dict[str, list[dict]]:
    """Every JSON-LD item of a page by its type."""
    found: dict[str, list[dict]] = {}
    for item in extruct.extract(html, base_url=ROOT, syntaxes=["json-ld"])["json-ld"]:
        assert item["@context"] == "https://schema.org"
        found.setdefault(item["@type"], []).append(item)
    return found


def meta(html: str) -> dict[str, str]:
    soup = BeautifulSoup(html, "html.parser")
    tags = soup.find_all("meta", attrs={"property": True}) + soup.find_all(
        "meta", attrs={"name": re.compile("^twitter:")}
    )
    values = {tag.get("property") or tag.get("name"): tag["content"] for tag in tags}
    canonical = soup.find_all("link", rel="canonical")
    assert len(canonical) <= 1
    if canonical:
        values["canonical"] = canonical[0]["href"]
    return values


def live(model, home: PortalHomePage, **filters):
    return model.objects.live().descendant_of(home).filter(**filters).order_by("pk")


def open_listing(model, home: PortalHomePage, **filters):
    return live(model, home, **filters).filter(TradeListingPage.current()).first()


def check_breadcrumbs(items: dict, page) -> None:
    (crumbs,) = items["BreadcrumbList"]
    elements = crumbs["itemListElement"]
    assert [element["position"] for element in elements] == list(range(1, len(elements) + 1))
    assert elements[0]["item"] == ROOT + "/"
    assert elements[-1]["item"] == page.full_url and elements[-1]["name"] == page.title
    assert all(element["@type"] == "ListItem" and element["name"] for element in elements)


def no_contact_details(html: str) -> None:
    text = str(extruct.extract(html, syntaxes=["json-ld"])["json-ld"])
    for word in ("email", "telephone", "faxNumber", "contactPoint", "@", "mailto:"):
        assert word not in text.replace("@context", "").replace("@type", ""), word


def test_a_sell_offer_is_a_product_with_an_offer(client, steel):
    offer = open_listing(SellOfferPage, steel, price_min__isnull=False, company__isnull=False)
    html = page_html(client, offer.full_url[len(ROOT) :])
    items = json_ld(html)
    (product,) = items["Product"]
    assert product["name"] == offer.title and product["category"] == offer.category.name
    deal = product["offers"]
    assert deal["@type"] in ("Offer", "AggregateOffer")
    assert float(deal.get("price") or deal["lowPrice"]) == float(offer.price_min)
    assert deal["priceCurrency"] == offer.currency
    assert deal["availability"] == "https://schema.org/InStock"
    assert deal["validThrough"] == offer.valid_until.isoformat()
    assert deal["seller"] == {
        "@type": "Organization",
        "name": offer.company.title,
        "url": offer.company.full_url,
    }
    check_breadcrumbs(items, offer)
    no_contact_details(html)


def test_a_buy_request_is_a_demand_valid_until_its_date(client, steel):
    request = open_listing(BuyRequestPage, steel)
    html = page_html(client, request.url)
    (demand,) = json_ld(html)["Demand"]
    assert demand["validThrough"] == request.valid_until.isoformat()
    assert demand["itemOffered"]["@type"] == "Product"
    assert demand["itemOffered"]["name"] == request.title
    assert demand["eligibleQuantity"]["value"] == float(request.quantity)
    if request.price_min is not None:
        assert demand["priceSpecification"]["priceCurrency"] == request.currency
    no_contact_details(html)


def test_a_company_is_an_organization_without_contact_details(client, steel):
    company = live(CompanyPage, steel).exclude(website="").first()
    html = page_html(client, company.url)
    items = json_ld(html)
    (organization,) = items["Organization"]
    assert organization["name"] == company.title and organization["url"] == company.full_url
    assert organization["address"]["addressCountry"] == company.country
    assert organization["sameAs"] == [company.website]
    check_breadcrumbs(items, company)
    no_contact_details(html)


def test_a_news_article_has_a_headline_date_and_author(client, steel):
    article = (
        live(NewsArticlePage, steel).filter(image__isnull=False).first()
        or live(NewsArticlePage, steel).first()
    )
    html = page_html(client, article.url)
    items = json_ld(html)
    (news,) = items["NewsArticle"]
    assert news["headline"] == article.title[:110]
    assert news["datePublished"] == article.date.isoformat()
    (author,) = news["author"]
    assert author["name"] == (article.author or steel.title)
    assert news["publisher"]["name"] == steel.title
    check_breadcrumbs(items, article)
    tags = meta(html)
    assert tags["og:type"] == "article"
    if article.image_id:
        assert news["image"] == [tags["og:image"]]
        assert tags["og:image"].startswith(ROOT + "/media/") and tags["og:image"] in html.replace(
            f'src="{tags["og:image"][len(ROOT) :]}"', f'src="{tags["og:image"]}"'
        )
        assert tags["twitter:card"] == "summary_large_image"


def test_an_event_and_a_price_series_keep_their_data(client, steel):
    event = live(EventPage, steel).first()
    (data,) = json_ld(page_html(client, event.url))["Event"]
    assert data["name"] == event.title and data["startDate"] == event.start_date.isoformat()
    assert data["location"]
    series = live(PriceSeriesPage, steel).first()
    if series is not None:
        items = json_ld(page_html(client, series.url))
        (dataset,) = items["Dataset"]
        assert dataset["name"] == series.title and dataset["description"]
        check_breadcrumbs(items, series)


def test_each_portal_home_is_a_searchable_website(client, steel, textiles):
    for home in (steel, textiles):
        html = page_html(client, "/", home.industry_slug)
        (site,) = json_ld(html)["WebSite"]
        root = f"http://{host(home.industry_slug)}"
        assert site["name"] == home.title and site["url"] == root + "/"
        action = site["potentialAction"]
        assert action["@type"] == "SearchAction"
        assert action["target"]["urlTemplate"] == root + "/search/?q={search_term_string}"
        assert action["query-input"] == "required name=search_term_string"
        assert "BreadcrumbList" not in json_ld(html)


def test_every_page_has_a_social_card_and_a_canonical_link(client, steel):
    offer = open_listing(SellOfferPage, steel)
    category = offer.category
    offer_path = offer.full_url[len(ROOT) :]
    for path in ("/", "/board/", f"/board/category/{category.slug}/", offer_path, "/news/"):
        tags = meta(page_html(client, path))
        assert tags["canonical"] == ROOT + path, path
        assert tags["og:url"] == tags["canonical"]
        assert tags["og:title"] and tags["og:site_name"] == steel.title
        assert tags["og:type"] in ("website", "article") and tags["twitter:card"]
    offer_tags = meta(page_html(client, offer.full_url[len(ROOT) :]))
    assert offer_tags["og:title"] == offer.title
    assert offer_tags["og:description"].startswith(offer.description.split()[0])


def test_search_has_a_canonical_link_without_the_query(client, steel):
    tags = meta(page_html(client, "/search/?q=coil&utm_source=x"))
    assert tags["canonical"] == ROOT + "/search/"
    assert tags["og:url"] == ROOT + "/search/" and tags["og:site_name"] == steel.title


def test_editors_text_cannot_break_out_of_the_json_ld(client, steel):
    offer = open_listing(SellOfferPage, steel)
    offer.title = "Coil</script><script>alert(1)</script>"
    offer.save_revision().publish()
    html = page_html(client, offer.full_url[len(ROOT) :])
    assert "</script><script>alert(1)" not in html
    (product,) = json_ld(html)["Product"]
    assert product["name"] == offer.title


def test_a_listing_without_a_price_makes_no_price_up(client, steel):
    offer = open_listing(SellOfferPage, steel)
    offer.price_min = offer.price_max = None
    offer.valid_until = date.today() + timedelta(days=5)
    offer.save_revision().publish()
    (product,) = json_ld(page_html(client, offer.full_url[len(ROOT) :]))["Product"]
    assert "price" not in product["offers"] and "lowPrice" not in product["offers"]
