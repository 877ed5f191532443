"""The static export: what `build_static` writes, how it updates, and how it fails."""

import gc
import json
import re
import shutil
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path

import orjson
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from portal.board.models import SellOfferPage, TradeListingPage
from portal.core.models import PortalHomePage
from portal.export import fragments, pagefind
from portal.export.output import BuildFolders

from .conftest import host, human
from .support import STATIC_BASE as BASE
from .support import STATIC_LIVE as LIVE
from .support import build_static as build
from .support import static_sitemap


def read(out: Path, path: str) -> str:
    relative = path.lstrip("/")
    file = out / "steel.localhost" / (relative + "index.html" if path.endswith("/") else relative)
    return file.read_text()


def open_offer(home: PortalHomePage) -> SellOfferPage:
    return (
        SellOfferPage.objects.live()
        .descendant_of(home)
        .filter(TradeListingPage.current())
        .order_by("-first_published_at", "-pk")
        .first()
    )


@pytest.fixture
def built(tmp_path, steel, static_steel) -> Path:
    """A static copy of its own, for a test that changes it: the session's copied."""
    shutil.copytree(static_steel, tmp_path, symlinks=True, dirs_exist_ok=True)
    return tmp_path


def test_a_build_holds_every_kind_of_public_file(static_steel, steel):
    site = static_steel / "steel.localhost"
    assert site.is_symlink() and (site / "index.html").is_file()
    for path in ("sitemap.xml", "robots.txt", "404.html", "search/index.html"):
        assert (site / path).is_file(), path
    for section in ("news", "board", "franchises", "investment", "directory"):
        assert (site / section / "index.html").is_file(), section
        ET.fromstring((site / "feeds" / section / "rss.xml").read_bytes())
        ET.fromstring((site / "feeds" / section / "atom.xml").read_bytes())
    offer = open_offer(steel)
    assert (site / offer.url_path.split("/", 2)[2] / "index.html").is_file()
    # Fingerprinted theme assets, and the search bundle.
    css = re.search(
        r'href="(/static/themes/base/css/base\.[0-9a-f]{12}\.css)"', read(static_steel, "/")
    )
    assert css and (site / css.group(1).lstrip("/")).is_file()
    assert json.loads((site / "pagefind" / "shards.json").read_text()) == ["/pagefind/0/"]
    assert (site / "pagefind" / "0" / "pagefind-ui.js").is_file()


def test_static_pages_carry_no_content_security_nonce(static_steel):
    # A nonce is good for one response; the static server sets its own headers.
    home = read(static_steel, "/")
    assert "<style>:root{--colour-primary:" in home and "nonce=" not in home


def test_paginated_and_filtered_listings_are_plain_folders(static_steel, steel):
    board = read(static_steel, "/board/")
    assert 'href="/board/page/2/"' in board or f'href="{BASE}/board/page/2/"' in board
    page_two = read(static_steel, "/board/page/2/")
    assert "page 2 of" in page_two
    category = re.search(r'href="[^"]*(/board/category/[a-z0-9-]+/)"', board).group(1)
    assert "<h1>" in read(static_steel, category)


def test_static_pages_match_the_live_site_with_the_static_address(static_steel, steel, client):
    offer = open_offer(steel)
    path = offer.url_path.split("/", 2)[2]
    live = client.get("/" + path, HTTP_HOST=host("steel")).content.decode()
    static = read(static_steel, "/" + path)
    title = re.search(r"<h1>(.*?)</h1>", live).group(1)
    assert f"<h1>{title}</h1>" in static
    assert live.count('class="card ') == static.count('class="card ')
    assert "http://steel.localhost:8000" not in static
    assert f'<link rel="canonical" href="{BASE}/{path}">' in static
    sitemap = static_sitemap(static_steel / "steel.localhost")
    assert f"<loc>{BASE}/{path}</loc>" in sitemap
    assert "http://steel.localhost:8000" not in sitemap


def test_forms_and_sign_in_lead_to_the_live_site(static_steel, steel):
    offer = open_offer(steel)
    static = read(static_steel, "/" + offer.url_path.split("/", 2)[2])
    assert f'action="{LIVE}/market/listings/{offer.pk}/inquiry/"' in static
    assert "csrfmiddlewaretoken" not in static
    assert f'href="{LIVE}/accounts/login/"' in static
    assert 'href="/accounts/' not in static
    board = read(static_steel, "/board/")
    assert f'href="{LIVE}/members/post/sell/"' in board


def test_the_static_search_indexes_pages_with_the_live_facets(static_steel, steel, site_of):
    search = read(static_steel, "/search/")
    assert 'data-shards="/pagefind/shards.json"' in search
    assert "/static/themes/base/js/static-search." in search
    offer = open_offer(steel)
    path = "/" + offer.url_path.split("/", 2)[2]
    shards = pagefind.Shards(site_of(steel), {path, "/board/"})
    assert shards.count == 1
    (record,) = shards.records("0")
    assert record["url"] == path and record["title"] == offer.title
    assert record["filters"] == {
        "Type": ["Market listings"],
        "Kind": ["Sell offers"],
        "Category": sorted([offer.category.name, offer.category.parent.name]),
        "Region": [offer.region.name],
    }


@pytest.mark.export
def test_search_shards_are_reindexed_only_when_their_pages_change(tmp_path, steel, settings):
    settings.STATIC_SEARCH_SHARD_SIZE = 20
    build(tmp_path)
    folders = BuildFolders(tmp_path, "steel.localhost")
    before = json.loads(folders.manifest_of(folders.current()).read_text())["search"]
    assert len(before) > 2
    offer = open_offer(steel)
    offer.title = "Renamed: prime HRC coils, ready to ship"
    offer.save_revision().publish()
    build(tmp_path)
    after = json.loads(folders.manifest_of(folders.current()).read_text())["search"]
    changed = [shard for shard in after if after[shard] != before[shard]]
    assert changed == [pagefind.shard_of(offer.pk, len(after))]
    bundles = json.loads((tmp_path / "steel.localhost" / "pagefind" / "shards.json").read_text())
    assert len(bundles) == len(after)


def test_a_search_bundle_made_in_scratch_storage_is_the_one_made_in_place(tmp_path, monkeypatch):
    records = [
        {
            "url": f"/board/offer-{n}/",
            "title": f"Offer {n}",
            "text": "Hot rolled coils",
            "filters": {},
        }
        for n in range(3)
    ]
    source = pagefind._write_sources(records)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    try:
        monkeypatch.setattr(pagefind, "scratch", lambda: str(scratch))
        pagefind._run(source, tmp_path / "by-scratch")
        monkeypatch.setattr(pagefind, "scratch", lambda: None)
        pagefind._run(source, tmp_path / "in-place")
    finally:
        shutil.rmtree(source)

    def files(folder: Path) -> dict[str, bytes]:
        return {
            str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()
        }

    assert "pagefind.js" in files(tmp_path / "by-scratch")
    assert files(tmp_path / "by-scratch") == files(tmp_path / "in-place")
    assert not any(scratch.iterdir())  # nothing left behind


def test_the_404_page_is_themed(static_steel):
    page = read(static_steel, "/404.html")
    assert "<h1>" in page and "/static/themes/" in page


def test_a_rebuild_without_changes_renders_nothing(built, steel, tmp_path):
    before = (built / "steel.localhost").resolve()
    store = built / ".builds" / "steel.localhost" / fragments.FILE
    stored = store.stat().st_mtime_ns
    build(built)
    assert store.stat().st_mtime_ns == stored  # no card made: the store is left as it is
    folders = BuildFolders(built, "steel.localhost")
    after = folders.current()
    assert after != before  # a new build was swapped in ...
    manifest = json.loads(folders.manifest_of(after).read_text())
    assert read(built, "/board/")  # ... with every file
    assert len(manifest["entries"]) > 100


def rendered_paths(out: Path, monkeypatch) -> list[str]:
    """Build again, recording which paths were rendered."""
    from portal.export import render

    seen: list[str] = []
    original = render.Renderer.respond

    def spy(self, target, page=None):
        seen.append(target.path)
        return original(self, target, page)

    monkeypatch.setattr(render.Renderer, "respond", spy)
    build(out)
    return seen


def test_an_edit_renders_the_page_and_the_pages_that_list_or_link_it(built, steel, monkeypatch):
    offer = open_offer(steel)
    path = "/" + offer.url_path.split("/", 2)[2]
    offer.title = "Renamed: prime HRC coils, ready to ship"
    offer.save_revision().publish()
    seen = rendered_paths(built, monkeypatch)
    assert path in seen
    assert "/board/" in seen  # the newest listing is on the board's first page
    assert "/" in seen  # and among the home page's teasers
    total = len(
        json.loads(
            BuildFolders(built, "steel.localhost")
            .manifest_of(BuildFolders(built, "steel.localhost").current())
            .read_text()
        )["entries"]
    )
    assert len(seen) < total / 4
    assert "Renamed: prime HRC coils" in read(built, "/board/")
    assert "Renamed: prime HRC coils" in read(built, path)


def mark_stored_cards(out: Path) -> int:
    """Mark every card the last build stored: a page rendered with a carried card shows it."""
    store = out / ".builds" / "steel.localhost" / fragments.FILE
    data = orjson.loads(store.read_bytes())
    data["fragments"] = {
        name: html.replace('class="card ', 'class="card carried ', 1)
        for name, html in data["fragments"].items()
    }
    store.write_bytes(orjson.dumps(data))
    return len(data["fragments"])


def test_a_rebuild_shows_the_kept_cards_of_unchanged_listings_and_a_new_one_of_an_edit(
    built, steel
):
    stored = orjson.loads((built / ".builds" / "steel.localhost" / fragments.FILE).read_bytes())
    assert "/media/" in read(built, "/news/")  # news cards show pictures: those are not kept
    assert not any("/media/" in html for html in stored["fragments"].values())
    assert mark_stored_cards(built) > 50
    offer = open_offer(steel)  # the newest offer: on the board's first page
    offer.title = "Renamed: prime HRC coils, ready to ship"
    offer.save_revision().publish()
    build(built)
    board = read(built, "/board/")
    cards = re.findall(r'<article class="card [^"]*">.*?</article>', board, re.S)
    edited = [card for card in cards if "Renamed: prime HRC coils" in card]
    assert len(edited) == 1 and "carried" not in edited[0]
    assert sum("carried" in card for card in cards) == len(cards) - 1
    # Stored again for the next build: the edited card as rendered now, the others as kept.
    mark_stored_cards(built)
    other = SellOfferPage.objects.live().descendant_of(steel).exclude(pk=offer.pk).last()
    other.unpublish()
    build(built)
    assert 'class="card carried ' in read(built, "/board/")


def test_cards_are_rendered_afresh_after_a_change_every_page_shows_and_with_full(built, steel):
    mark_stored_cards(built)
    category = SellOfferPage.objects.live().descendant_of(steel).first().category
    category.name = "Renamed category"
    category.save()
    build(built)
    assert "Renamed category" in read(built, "/board/") or "Renamed category" in read(
        built, f"/board/category/{category.slug}/"
    )
    assert "carried" not in read(built, "/board/")
    mark_stored_cards(built)
    build(built, full=True)
    assert "carried" not in read(built, "/board/")


def test_the_store_of_cards_is_made_anew_each_day(monkeypatch):
    today = fragments.store_stamp("portal")
    assert fragments.store_stamp("portal") == today != fragments.store_stamp("other portal")

    class Tomorrow(date):
        @classmethod
        def today(cls):
            return date.fromordinal(date.today().toordinal() + 1)

    monkeypatch.setattr(fragments, "date", Tomorrow)
    assert fragments.store_stamp("portal") != today


def test_unpublished_and_expired_listings_leave_the_build(built, steel):
    offer = open_offer(steel)
    other = (
        SellOfferPage.objects.live()
        .descendant_of(steel)
        .filter(TradeListingPage.current())
        .exclude(pk=offer.pk)
        .first()
    )
    paths = ["/" + page.url_path.split("/", 2)[2] for page in (offer, other)]
    offer.unpublish()
    TradeListingPage.objects.filter(pk=other.pk).update(valid_until=date.today() - timedelta(1))
    build(built)
    site = built / "steel.localhost"
    for path in paths:
        assert not (site / path.lstrip("/") / "index.html").exists()
        assert path not in static_sitemap(site)
        assert path not in read(built, "/board/")


@pytest.mark.export
def test_a_broken_internal_link_fails_the_build_and_keeps_the_previous_one(built, steel):
    build(built)  # both folders now hold a build
    folders = BuildFolders(built, "steel.localhost")
    assert folders.manifest_of(folders.spare()).exists()
    before = (built / "steel.localhost").resolve()
    steel.intro = '<p>See <a href="/no-such-page/">our guide</a>.</p>'
    steel.save_revision().publish()
    with pytest.raises(CommandError, match=r"broken link.*previous build is still in place"):
        build(built)
    assert (built / "steel.localhost").resolve() == before
    # The half-updated folder is no longer described by a manifest: made afresh next time.
    assert not folders.manifest_of(folders.spare()).exists()
    steel.intro = "<p>Fixed.</p>"
    steel.save_revision().publish()
    build(built)
    assert "Fixed." in read(built, "/")


def test_a_failed_search_index_keeps_the_previous_build(built, steel, monkeypatch):
    before = (built / "steel.localhost").resolve()

    def fail(*args):
        raise pagefind.PagefindError("out of disk space")

    monkeypatch.setattr(pagefind, "index", fail)
    with pytest.raises(CommandError, match="search index failed: out of disk space"):
        build(built, full=True)
    assert (built / "steel.localhost").resolve() == before
    assert (before / "index.html").is_file()


def test_a_build_sets_the_garbage_collector_for_itself_and_then_puts_it_back(
    built, steel, monkeypatch
):
    from portal.export import collector, render

    before = gc.get_threshold()
    seen: list[tuple] = []
    original = render.Renderer.respond

    def spy(self, target, page=None):
        seen.append((gc.get_threshold(), gc.get_freeze_count() > 0))
        return original(self, target, page)

    monkeypatch.setattr(render.Renderer, "respond", spy)
    steel.intro = "<p>Changed.</p>"
    steel.save_revision().publish()
    build(built)
    assert seen and set(seen) == {(collector.BUILD_THRESHOLDS, True)}
    assert (gc.get_threshold(), gc.get_freeze_count()) == (before, 0)

    def fail(*args):
        raise pagefind.PagefindError("out of disk space")

    monkeypatch.setattr(pagefind, "index", fail)
    with pytest.raises(CommandError, match="out of disk space"):
        build(built, full=True)
    assert (gc.get_threshold(), gc.get_freeze_count()) == (before, 0)


def test_the_command_explains_what_it_needs(tmp_path, steel):
    with pytest.raises(CommandError, match="Name the portals"):
        call_command("build_static", out=str(tmp_path))
    with pytest.raises(CommandError, match="no portal launched for: plastics"):
        call_command("build_static", "plastics", out=str(tmp_path))


@pytest.mark.django_db(transaction=True)
def test_parallel_workers_build_the_same_site(tmp_path, steel):
    build(tmp_path / "one", jobs=1)
    build(tmp_path / "two", jobs=2)
    one, two = (tmp_path / name / "steel.localhost" for name in ("one", "two"))
    files = sorted(p.relative_to(one) for p in one.rglob("*.html"))
    assert files == sorted(p.relative_to(two) for p in two.rglob("*.html"))
    assert (one / "board" / "index.html").read_text() == (two / "board" / "index.html").read_text()


# Live side: feeds, and posts from the static copies ----------------------------------------


def test_sections_have_rss_and_atom_feeds(client, steel):
    response = client.get("/feeds/board/rss.xml", HTTP_HOST=host("steel"))
    assert response.status_code == 200
    items = ET.fromstring(response.content).findall("./channel/item")
    assert items and items[0].findtext("link").startswith("http://steel.localhost:8000/board/")
    atom = client.get("/feeds/news/atom.xml", HTTP_HOST=host("steel"))
    assert b"http://www.w3.org/2005/Atom" in atom.content
    assert client.get("/feeds/nothing/rss.xml", HTTP_HOST=host("steel")).status_code == 404


@pytest.fixture
def static_origin(settings):
    settings.STATIC_SITE_ORIGINS = ["https://*.example.org"]
    return "https://steel.example.org"


def inquiry_data() -> dict:
    return human(
        "inquiry",
        name="Ada Buyer",
        email="ada.buyer@example.com",
        company="Buyers Ltd",
        quantity="20",
        message="Can you deliver 20 t in March?",
    )


def test_a_static_copy_may_post_an_inquiry_without_a_csrf_token(steel, static_origin):
    offer = open_offer(steel)
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        f"/market/listings/{offer.pk}/inquiry/",
        inquiry_data(),
        HTTP_HOST=host("steel"),
        HTTP_ORIGIN=static_origin,
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200
    assert response.json()["ok"] is True
    assert response["Access-Control-Allow-Origin"] == static_origin


def test_other_origins_still_need_a_csrf_token(steel, static_origin):
    offer = open_offer(steel)
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        f"/market/listings/{offer.pk}/inquiry/",
        inquiry_data(),
        HTTP_HOST=host("steel"),
        HTTP_ORIGIN="https://elsewhere.test",
    )
    assert response.status_code == 403
    assert "Access-Control-Allow-Origin" not in response


def test_a_static_form_reports_errors_in_place(steel, static_origin):
    offer = open_offer(steel)
    response = Client().post(
        f"/market/listings/{offer.pk}/inquiry/",
        {**inquiry_data(), "email": "not-an-email"},
        HTTP_HOST=host("steel"),
        HTTP_ORIGIN=static_origin,
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"ok": False, "message": "Enter a valid email address."}


def test_static_forms_get_a_fresh_start_time(client, steel, static_origin):
    response = client.get("/market/form-token/", HTTP_HOST=host("steel"), HTTP_ORIGIN=static_origin)
    assert response.status_code == 200 and response.json()["started"]
    assert response["Access-Control-Allow-Origin"] == static_origin


def test_the_spare_folder_catches_up_with_every_change_since_it_was_served(built, steel):
    """Builds alternate between two folders; the one being updated holds the build before
    last, so it must also receive what the last build changed."""
    offers = list(
        SellOfferPage.objects.live()
        .descendant_of(steel)
        .filter(TradeListingPage.current())
        .order_by("pk")[:3]
    )
    paths = ["/" + offer.url_path.split("/", 2)[2] for offer in offers]
    first = (built / "steel.localhost").resolve()
    offers[0].title = "First edit: coils ready"
    offers[0].save_revision().publish()
    build(built)
    second = (built / "steel.localhost").resolve()
    assert second != first
    offers[1].title = "Second edit: plates ready"
    offers[1].save_revision().publish()
    offers[2].unpublish()
    build(built)
    assert (built / "steel.localhost").resolve() == first  # back in the first folder
    assert "First edit: coils ready" in read(built, paths[0])
    assert "Second edit: plates ready" in read(built, paths[1])
    assert not (first / paths[2].lstrip("/") / "index.html").exists()
    assert (second / paths[2].lstrip("/") / "index.html").exists()  # the rollback is intact


def test_media_links_cannot_reach_outside_the_uploads(tmp_path, steel, settings):
    from portal.export.assets import copy_media

    secret = Path(settings.MEDIA_ROOT).parent / "secret.txt"
    secret.write_text("not for the public")
    folder = tmp_path / "site"
    folder.mkdir()
    copy_media([f"/media/../{secret.name}", "/media/%2e%2e/secret.txt"], folder)
    assert not any(folder.rglob("secret.txt"))


def test_cors_is_open_to_static_copies_only_on_the_endpoints_they_use(client, steel, static_origin):
    response = client.get("/members/", HTTP_HOST=host("steel"), HTTP_ORIGIN=static_origin)
    assert "Access-Control-Allow-Origin" not in response


@pytest.mark.export
def test_a_page_that_fails_to_render_is_named_with_the_reason(built, steel, monkeypatch):
    from io import StringIO

    from portal.news.models import NewsArticlePage

    def explode(self, request, *args, **kwargs):
        raise RuntimeError("the template exploded")

    monkeypatch.setattr(NewsArticlePage, "get_context", explode)
    errors = StringIO()
    with pytest.raises(CommandError, match=r"page\(s\) could not be rendered"):
        build(built, full=True, stderr=errors)
    assert "answered 500, not 200 (RuntimeError: the template exploded)" in errors.getvalue()


def test_the_store_of_cards_reads_back_its_stamp_only_and_a_failed_write_is_logged(
    tmp_path, caplog
):
    fragments.save(tmp_path / "missing-folder", "stamp", {"a": "<p>card</p>"})
    assert "cards not stored for the next build" in caplog.text
    assert fragments.load(tmp_path / "missing-folder", "stamp") == {}
    fragments.save(tmp_path, "stamp", {"a": "<p>card</p>"})
    assert fragments.load(tmp_path, "stamp") == {"a": "<p>card</p>"}
    assert fragments.load(tmp_path, "another stamp") == {}
    (tmp_path / fragments.FILE).write_text("not a store")
    assert fragments.load(tmp_path, "stamp") == {}
