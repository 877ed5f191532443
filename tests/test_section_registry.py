"""A section type is an app plus one registration: the small "notices" type of tests/notices,
which no core, search or export code names, is launched, listed, searched and exported."""

import json

import pytest
import yaml
from django.core.management import CommandError, call_command
from wagtail.models import Site

from portal.core.models import Category, PortalHomePage
from portal.core.sections import section_type, section_types
from portal.export import pagefind
from search.models import SearchDocument
from tests.notices.models import NoticeIndexPage, NoticePage
from tests.support import build_static, static_sitemap

pytestmark = pytest.mark.django_db

HOST = "chem.localhost:8000"
CHEMICALS = {
    "name": "ChemTrade",
    "hostname": "chemicals.example.org",
    "tagline": "Specialty and commodity chemicals",
    "palette": {"primary": "#2d2a6e", "accent": "#0f7c6c"},
    "units": [{"code": "t", "name": "tonne"}],
    "currencies": ["USD"],
    "regions": [{"code": "europe", "name": "Europe"}],
    "sections": [{"kind": "news"}, {"kind": "notices", "intro": "Tenders and calls."}],
    "taxonomy": [{"name": "Solvents", "children": [{"name": "Acetone"}, {"name": "Methanol"}]}],
}


@pytest.fixture
def chemicals(industries_dir) -> PortalHomePage:
    (industries_dir / "chemicals.yaml").write_text(yaml.safe_dump(CHEMICALS))
    call_command("launch_portal", "chemicals", hostname=HOST, verbosity=0)
    return PortalHomePage.objects.get(industry_slug="chemicals")


def add_notice(home: PortalHomePage, title: str) -> NoticePage:
    section = NoticeIndexPage.objects.child_of(home).get()
    site = Site.objects.get(root_page=home)
    notice = NoticePage(
        title=title,
        summary="Sealed bids for 400 t of acetone, delivered Rotterdam.",
        category=Category.objects.get(site=site, slug="acetone"),
    )
    section.add_child(instance=notice)
    notice.save_revision().publish()
    return notice


def test_the_registry_knows_the_extra_type_but_portals_get_it_only_when_asked():
    assert section_type("notices").title == "Notices"
    assert "notices" not in [entry.key for entry in section_types() if entry.default]
    steel = PortalHomePage.objects.get(industry_slug="steel")
    assert not NoticeIndexPage.objects.child_of(steel).exists()


def test_an_unknown_section_kind_is_one_clear_error(industries_dir):
    broken = {**CHEMICALS, "sections": [{"kind": "auctions"}]}
    (industries_dir / "chemicals.yaml").write_text(yaml.safe_dump(broken))
    with pytest.raises(CommandError, match=r"'auctions' is not a section type .*notices"):
        call_command("launch_portal", "chemicals", verbosity=0)


def test_launched_into_the_menu_and_listed(chemicals, client):
    assert [page.title for page in chemicals.get_children().live().in_menu()] == [
        "News",
        "Notices",
    ]
    assert NoticeIndexPage in PortalHomePage.allowed_subpage_models()
    notice = add_notice(chemicals, "Acetone tender, Q1")

    listing = client.get("/notices/", HTTP_HOST=HOST)
    assert listing.status_code == 200
    assert b"Tenders and calls." in listing.content
    assert notice.url.encode() in listing.content and b"Acetone tender, Q1" in listing.content
    by_category = client.get("/notices/category/acetone/", HTTP_HOST=HOST)
    assert b"Acetone tender, Q1" in by_category.content
    assert (
        b"Acetone tender, Q1"
        not in client.get("/notices/category/methanol/", HTTP_HOST=HOST).content
    )
    page = client.get(notice.url, HTTP_HOST=HOST)
    assert page.status_code == 200 and b"Sealed bids for 400 t" in page.content
    feed = client.get("/feeds/notices/rss.xml", HTTP_HOST=HOST)
    assert b"Acetone tender, Q1" in feed.content
    download = client.get("/notices/notices.csv", HTTP_HOST=HOST)
    assert download["Content-Type"].startswith("text/csv")
    assert b'"Acetone tender, Q1",Acetone,' in download.content


def test_searched_with_its_own_facet(chemicals, client):
    notice = add_notice(chemicals, "Methanol tender for Antwerp")
    document = SearchDocument.objects.get(page_id=notice.pk)
    assert (document.doc_type, document.portal) == ("notice", "chemicals")

    results = client.get("/search/", {"q": "tender"}, HTTP_HOST=HOST)
    assert b"Methanol tender for Antwerp" in results.content
    assert b"Notices" in results.content  # the content-type facet's option
    filtered = client.get("/search/", {"q": "tender", "type": "notice"}, HTTP_HOST=HOST)
    assert b"Methanol tender for Antwerp" in filtered.content
    suggestions = client.get("/search/suggest/", {"q": "Methanol"}, HTTP_HOST=HOST).json()
    assert {"title": notice.title, "url": document.url, "type": "Notice"} in suggestions["results"]


@pytest.mark.export
def test_exported_with_its_pages_lists_feeds_and_static_search(chemicals, tmp_path):
    notice = add_notice(chemicals, "Acetone tender, Q2")
    build_static(
        tmp_path,
        "chemicals",
        base_url="https://chem.example.org",
        live_url="https://live.chem.example.org",
    )
    site = tmp_path / "chem.localhost"
    detail = site / notice.url_path.split("/", 2)[2] / "index.html"
    assert "Sealed bids for 400 t" in detail.read_text()
    assert "Acetone tender, Q2" in (site / "notices" / "index.html").read_text()
    assert "Acetone tender, Q2" in (site / "notices/category/acetone/index.html").read_text()
    assert "Acetone tender, Q2" in (site / "feeds/notices/rss.xml").read_text()
    assert "/notices/" in static_sitemap(site)
    assert '"Acetone tender, Q2",Acetone,' in (site / "notices/notices.csv").read_text()
    assert json.loads((site / "pagefind" / "shards.json").read_text())
    path = "/" + notice.url_path.split("/", 2)[2]
    shards = pagefind.Shards(Site.objects.get(root_page=chemicals), {path})
    records = [record for shard in shards.stamps for record in shards.records(shard)]
    assert [(r["url"], r["filters"]["Type"]) for r in records] == [(path, ["Notices"])]


def test_demo_content_comes_from_the_registration(industries_dir):
    (industries_dir / "chemicals.yaml").write_text(yaml.safe_dump(CHEMICALS))
    call_command("launch_portal", "chemicals", hostname=HOST, demo=20, verbosity=0)
    home = PortalHomePage.objects.get(industry_slug="chemicals")
    notices = NoticePage.objects.descendant_of(home)
    assert notices.count() == 3
    assert SearchDocument.objects.filter(doc_type="notice", portal="chemicals").count() == 3


def test_every_kind_a_section_declares_fits_the_search_documents():
    """PostgreSQL refuses a longer value than the column holds; SQLite would not tell."""
    from portal.core.sections import search_document_types
    from search.models import SearchDocument

    room = SearchDocument._meta.get_field("kind").max_length
    kinds = [key for entry in search_document_types() for key, _ in entry.kinds]
    assert kinds and all(len(key) <= room for key in kinds), kinds
