"""Pages as the API gives them: plain dicts of what their public pages show."""

from html import unescape
from typing import Any

from django.utils.html import strip_tags
from wagtail.models import Page, Site

from portal.core.models import Category, Region


class Links:
    """Absolute URLs of the pages of one portal, without a query per page."""

    def __init__(self, site: Site) -> None:
        root = site.root_page
        self.base = site.root_url
        self.cut = len(root.url_path) - 1

    def url(self, page: Page) -> str:
        return self.of(page.url_path)

    def of(self, url_path: str) -> str:
        """The absolute URL of the page at ``url_path`` (Wagtail's path from the tree root)."""
        return self.base + url_path[self.cut :]


def term(value: Category | Region | None) -> dict[str, str] | None:
    if value is None:
        return None
    code = value.slug if isinstance(value, Category) else value.code
    return {"value": code, "name": value.name}


def company_ref(company: Any, links: Links) -> dict[str, Any] | None:
    """A company as others name it: only when its own page is public."""
    if company is None or not company.live:
        return None
    return {"id": company.pk, "name": company.title, "url": links.url(company)}


def _item(page: Page, links: Links) -> dict[str, Any]:
    return {
        "id": page.pk,
        "title": page.title,
        "url": links.url(page),
        "published_at": page.first_published_at,
    }


def _fields(page: Any, names: str) -> dict[str, Any]:
    return {name: getattr(page, name) for name in names.split()}


LISTING_FIELDS = "kind description quantity unit price_min price_max currency incoterm valid_until"


def listing(page: Any, links: Links, detail: bool = False) -> dict[str, Any]:
    own = getattr(page, "sellofferpage", None) or getattr(page, "buyrequestpage", None) or page
    return {
        **_item(page, links),
        **_fields(page, LISTING_FIELDS),
        "category": term(page.category),
        "region": term(page.region),
        "company": company_ref(page.company, links),
        "moq": getattr(own, "moq", None),
        "specification": getattr(own, "specification", ""),
        "required_by": getattr(own, "required_by", None),
    }


def _row_term(row: dict[str, Any], prefix: str, key: str) -> dict[str, str] | None:
    code = row[f"{prefix}__{key}"]
    return None if code is None else {"value": code, "name": row[f"{prefix}__name"]}


def listing_row(row: dict[str, Any], links: Links, detail: bool = False) -> dict[str, Any]:
    """``listing()`` of a row of ``values()`` (``LISTINGS.fields``): a list builds no model
    instances, three per listing otherwise (a page, its company's, its kind's)."""
    company = None
    if row["company"] is not None and row["company__live"]:
        company = {
            "id": row["company"],
            "name": row["company__title"],
            "url": links.of(row["company__url_path"]),
        }
    return {
        "id": row["pk"],
        "title": row["title"],
        "url": links.of(row["url_path"]),
        "published_at": row["first_published_at"],
        **{name: row[name] for name in LISTING_FIELDS.split()},
        "category": _row_term(row, "category", "slug"),
        "region": _row_term(row, "region", "code"),
        "company": company,
        "moq": row["sellofferpage__moq"],
        "specification": row["sellofferpage__specification"] or "",
        "required_by": row["buyrequestpage__required_by"],
    }


def company(page: Any, links: Links, detail: bool = False) -> dict[str, Any]:
    return {
        **_item(page, links),
        **_fields(page, "profile country city year_established employees"),
        "region": term(page.region),
        "categories": [term(c) for c in page.categories.all()],
        "certifications": [str(c) for c in page.certifications or []],
        "verified": page.is_verified(),
    }


def news(page: Any, links: Links, detail: bool = False) -> dict[str, Any]:
    data = {
        **_item(page, links),
        **_fields(page, "kind date author summary"),
        "categories": [term(c) for c in page.categories.all()],
    }
    if detail:
        content = page.body.stream_block.get_searchable_content(page.body)
        data["body"] = "\n".join(unescape(strip_tags(str(text))) for text in content)
    return data


def event(page: Any, links: Links, detail: bool = False) -> dict[str, Any]:
    data = {
        **_item(page, links),
        **_fields(
            page,
            "summary start_date end_date attendance status venue city country organiser "
            "website online_url",
        ),
        "region": term(page.region),
    }
    if detail:
        data["description"] = page.description
        data["exhibitors"] = [
            ref for ref in (company_ref(c, links) for c in page.exhibitors.all()) if ref
        ]
    return data


def franchise(page: Any, links: Links, detail: bool = False) -> dict[str, Any]:
    data = {
        **_item(page, links),
        **_fields(
            page,
            "brand summary currency investment_min investment_max franchise_fee "
            "royalty_percent units_available year_founded",
        ),
        "category": term(page.sector),
        "territories": [term(r) for r in page.territories.all()],
    }
    if detail:
        data |= _fields(page, "description support training")
    return data


def investment(page: Any, links: Links, detail: bool = False) -> dict[str, Any]:
    data = {
        **_item(page, links),
        **_fields(page, "deal_type stage amount_sought currency deadline summary"),
        "category": term(page.sector),
        "region": term(page.region),
        "company": company_ref(page.company, links),
    }
    if detail:
        data["description"] = page.description
    return data


def price_series(page: Any, links: Links, detail: bool = False) -> dict[str, Any]:
    data = {
        **_item(page, links),
        **_fields(page, "key specification incoterm unit currency frequency"),
        "category": term(page.category),
        "region": term(page.region),
    }
    if detail:
        data["description"] = page.description
        data["method"] = page.method or {}
        data["points"] = [point.as_row() for point in page.published_points()]
    return data
