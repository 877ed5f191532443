"""The static export's faster paths make what the slower ones made: the targets and their
stamps, the rendered bytes, the sitemap, the widgets, the link check."""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.sites.shortcuts import get_current_site
from django.core.files.base import ContentFile
from django.core.handlers.base import BaseHandler
from django.test import RequestFactory
from django.urls import resolve
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap
from wagtail.documents.models import Document
from wagtail.models import Collection, CollectionViewRestriction

from portal.catalogue.models import ProductIndexPage
from portal.core.models import ListingIndexPage
from portal.export import targets as targets_module
from portal.export.assets import public_document_files
from portal.export.linkcheck import broken_links
from portal.export.manifest import Manifest, link_stamps, plan
from portal.export.render import Renderer
from portal.export.targets import Target, portal_targets
from portal.news.models import NewsArticlePage
from portal.syndication.sitemap import PortalSitemap, sitemap

from .conftest import host
from .support import SITEMAP_LOC

BASE = "https://steel.example.org"
# What differs between two renderings of the same page: a form's start token.
VOLATILE = re.compile(rb'name="started" value="[^"]*"')


@pytest.mark.parametrize("declared", [True, False])
def test_each_filter_lists_what_the_section_filters_in_the_database(
    steel, site_of, monkeypatch, declared
):
    """One query per section lists the same ids, in the same order, as one per filter: when
    a section type declares the field a filter of its own is read from (products by company),
    and when it does not (the section is asked for that filter's list)."""
    if not declared:
        monkeypatch.delattr(ProductIndexPage, "filter_lookups")
    families = targets_module._category_families(site_of(steel))
    sections = [s for s in steel.sections() if isinstance(s, ListingIndexPage)]
    assert sections
    for section in sections:
        listed = targets_module._filtered_ids(section, families)
        assert len(listed) == len(section.filter_choices())
        for kind, choice, pks in listed:
            expected = list(section.filtered(kind, choice).values_list("pk", flat=True))
            assert pks == expected, (section.slug, kind, choice)
        assert targets_module._latest(section, listed, 4) == [p.pk for p in section.latest(4)]


def handler_respond(renderer: Renderer, target, page=None) -> tuple[int, bytes]:
    """The target answered through Django's handler and its middleware, as before."""
    handler = BaseHandler()
    handler.load_middleware()
    request = renderer.request_for(target)
    del request.user, request.session  # the middleware sets them
    if page is not None:
        request._wagtail_route_for_request = (page, (), {})
    elif target.page_id is not None:
        request._wagtail_route_for_request = renderer.section_route(target)
    response = handler.get_response(request)
    return response.status_code, response.content


def test_rendering_outside_the_request_cycle_makes_the_same_bytes(steel, site_of, settings):
    settings.PAGE_CACHE = "off"  # the handler's answers are rendered, never kept ones
    site = site_of(steel)
    targets = portal_targets(site)
    renderer = Renderer(site.pk, BASE, BASE)
    chosen = {}
    for target in targets:
        kind = (
            "detail"
            if target.detail
            else "index"
            if target.page_id
            else target.path.rsplit(".", 1)[-1]
        )
        if target.detail:
            kind = target.path.split("/")[1] or "home"
        chosen.setdefault(kind, target)
    assert {"home", "board", "news", "directory", "index", "xml", "txt", "html"} <= set(chosen)
    from portal.core.loading import load_pages

    for target in chosen.values():
        page = load_pages([target.page_id])[target.page_id] if target.detail else None
        direct = renderer.respond(target, page)
        page = load_pages([target.page_id])[target.page_id] if target.detail else None
        through = handler_respond(renderer, target, page)
        assert direct[0] == through[0] == target.status, target.path
        assert VOLATILE.sub(b"", direct[1]) == VOLATILE.sub(b"", through[1]), target.path


def sitemap_files_of(index: bytes) -> list[str]:
    return [urlsplit(location).path for location in SITEMAP_LOC.findall(index.decode())]


def test_each_sitemap_file_is_wagtails_byte_for_byte(steel):
    index = sitemap(RequestFactory().get("/sitemap.xml", HTTP_HOST=host("steel")))
    assert index.status_code == 200 and index["X-Robots-Tag"]
    files = sitemap_files_of(index.content)
    assert files[0] == "/sitemap-pages.xml" and "/sitemaps/board.xml" in files
    listed = []
    for path in files:
        request = RequestFactory().get(path, HTTP_HOST=host("steel"))
        match = resolve(path)
        ours = match.func(request, **match.kwargs)
        part = PortalSitemap(request, match.kwargs.get("slug"))
        theirs = wagtail_sitemap(request, {"pages": part})
        theirs.render()
        assert ours.status_code == theirs.status_code == 200, path
        assert ours.content == theirs.content, path
        assert ours["Last-Modified"] == theirs["Last-Modified"], path
        assert ours["X-Robots-Tag"] == theirs["X-Robots-Tag"], path
        listed += SITEMAP_LOC.findall(ours.content.decode())
    # Together the files list every page once, in the order of the whole tree.
    request = RequestFactory().get("/sitemap.xml", HTTP_HOST=host("steel"))
    every = [page.get_full_url(request) for page in PortalSitemap(request).items()]
    assert sorted(listed) == sorted(every) and len(set(listed)) == len(listed)
    assert "http://steel.localhost:8000/board/" in listed


def test_sitemap_files_split_at_the_limit_and_nothing_else_answers(client, steel, monkeypatch):
    monkeypatch.setattr(PortalSitemap, "limit", 5)
    board = PortalSitemap(RequestFactory().get("/", HTTP_HOST=host("steel")), "board")
    pages = board.items().count()
    assert pages > 10
    index = client.get("/sitemap.xml", HTTP_HOST=host("steel")).content
    files = sitemap_files_of(index)
    numbers = range(2, -(-pages // 5) + 1)
    assert [f for f in files if f.startswith("/sitemaps/board")] == [
        "/sitemaps/board.xml",
        *(f"/sitemaps/board.{n}.xml" for n in numbers),
    ]
    listed = []
    for path in files:
        answer = client.get(path, HTTP_HOST=host("steel"))
        assert answer.status_code == 200, path
        urls = SITEMAP_LOC.findall(answer.content.decode())
        assert 0 < len(urls) <= 5, path
        listed += urls
    assert len(listed) == len(set(listed))
    last = numbers[-1] if numbers else 1
    for missing in (
        f"/sitemaps/board.{last + 1}.xml",
        "/sitemaps/board.1.xml",
        "/sitemaps/board.01.xml",
        "/sitemaps/no-such-section.xml",
        "/sitemap-pages.0.xml",
    ):
        assert client.get(missing, HTTP_HOST=host("steel")).status_code == 404, missing


def test_sitemap_urls_are_the_pages_own(steel):
    request = RequestFactory().get("/sitemap.xml", HTTP_HOST=host("steel"))
    pages = PortalSitemap(request)
    urls = pages.get_urls(site=get_current_site(request), protocol="http")
    wagtails = [page.get_full_url(request) for page in pages.items()]
    assert [url["location"] for url in urls] == wagtails


def test_the_link_check_looks_on_disk_for_what_no_target_answers(tmp_path: Path):
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "a.css").write_text("")
    pages = [("/", ["/news/", "/static/a.css", "/static/b.css", "/../secret"])]
    assert broken_links(pages, {"news/index.html"}, tmp_path) == [
        ("/", "/../secret"),
        ("/", "/static/b.css"),
    ]


def test_the_export_writes_every_sitemap_file_the_index_lists(client, steel, site_of, monkeypatch):
    monkeypatch.setattr(PortalSitemap, "limit", 5)
    site = site_of(steel)
    targets = {t.path: t for t in portal_targets(site) if "sitemap" in t.path}
    files = sitemap_files_of(client.get("/sitemap.xml", HTTP_HOST=host("steel")).content)
    assert "/sitemaps/board.2.xml" in files
    assert set(targets) == {"/sitemap.xml", *files}
    renderer = Renderer(site.pk, BASE, BASE)
    for path, target in targets.items():
        live = client.get(path, HTTP_HOST=host("steel"))
        assert renderer.respond(target) == (200, live.content), path


def test_an_edit_changes_its_sections_sitemap_file_only(steel, site_of):
    site = site_of(steel)
    before = {t.path: t.stamp for t in portal_targets(site) if "sitemap" in t.path}
    article = NewsArticlePage.objects.live().descendant_of(steel).first()
    article.title += " (edited)"
    article.save_revision().publish()
    after = {t.path: t.stamp for t in portal_targets(site) if "sitemap" in t.path}
    assert set(after) == set(before)
    assert {path for path in after if after[path] != before[path]} == {"/sitemaps/news.xml"}


def test_a_manifest_reads_back_as_written_and_an_unreadable_one_as_none(tmp_path: Path):
    manifest = Manifest("settings", search={"shard": "x"})
    manifest.add("/", "index.html", "s1", ["/board/", "/static/a.css"], "d1")
    manifest.add("/board/", "board/index.html", "s2", ["/", "/static/a.css"], "d2")
    manifest.add("/robots.txt", "robots.txt", "s3", [], "d3")
    path = tmp_path / "a.manifest.json"
    manifest.save(path, {"/": "home", "/board/": "board"})
    read = Manifest.read(path)
    assert read == manifest
    assert read.links_of(read.entries["/board/"]) == ["/", "/static/a.css"]
    assert read.linked_paths() == {"/", "/board/", "/static/a.css"}
    assert dict(zip(read.paths, read.linked, strict=True)) == {
        "/board/": "board",
        "/static/a.css": "-",
        "/": "home",
    }
    broken = (
        '{"format": 3, "paths": [], "linked": [], "entries": {"/": ["i", "s", "d", [3]]}}',
        '{"format": 3, "paths": ["/"], "linked": [], "entries": {}}',
        '{"format": 2, "paths": [], "entries": {}}',
        "{",
    )
    for text in broken:
        path.write_text(text)
        assert Manifest.read(path) is None
        assert Manifest.load(path) == Manifest()


def _targets(**stamps: tuple[str, str]) -> list[Target]:
    """Targets by path name (``board`` is ``/board/``): (own stamp, link stamp)."""
    return [
        Target(path=f"/{name}/", stamp=own, link_stamp=link) for name, (own, link) in stamps.items()
    ]


def _built(targets: list[Target], links: dict[str, list[str]], tmp_path: Path) -> Manifest:
    """The manifest of a build of ``targets`` (each linking to ``links[path]``), read back."""
    manifest = Manifest("settings")
    for target in targets:
        manifest.add(target.path, target.file, target.stamp, links.get(target.path, []), "d")
    manifest.save(tmp_path / "m.json", link_stamps(targets))
    return Manifest.read(tmp_path / "m.json")


def test_a_build_renders_what_changed_and_what_links_to_what_changed(tmp_path: Path):
    links = {"/board/": ["/offer/", "/static/a.css"], "/home/": ["/board/"], "/offer/": []}
    before = _targets(board=("b", "+"), home=("h", "+"), offer=("o", "1"))
    built = _built(before, links, tmp_path)

    def rendered(after: list[Target]) -> set[str]:
        todo = plan(after, built, "settings", full=False)
        assert set(todo.keep) | {t.path for t in todo.render} == {t.path for t in after}
        return {t.path for t in todo.render}

    assert rendered(before) == set()
    # The offer's title changed (its link stamp): it, and the board that lists it.
    assert rendered(_targets(board=("b", "+"), home=("h", "+"), offer=("o2", "2"))) == {
        "/offer/",
        "/board/",
    }
    # Only what it shows itself changed: pages linking to it are kept.
    assert rendered(_targets(board=("b", "+"), home=("h", "+"), offer=("o2", "1"))) == {"/offer/"}
    # The offer went: the board links to something no longer built.
    assert rendered(_targets(board=("b", "+"), home=("h", "+"))) == {"/board/"}
    assert [e.file for e in plan(before[:2], built, "settings", False).remove] == [
        "offer/index.html"
    ]
    # Other settings: everything.
    assert len(plan(before, built, "other", full=False).render) == 3


def test_a_build_keeping_entries_carries_them_over_and_drops_paths_no_longer_linked(
    tmp_path: Path,
):
    targets = _targets(**{f"p{n}": ("s", "+") for n in range(9)})
    built = _built(targets, {t.path: [t.path, "/static/a.css"] for t in targets}, tmp_path)
    keep = {path: entry for path, entry in built.entries.items() if path != "/p0/"}
    successor = built.successor("settings", keep)
    successor.add("/p0/", "p0/index.html", "s", ["/p0/", "/static/b.css"], "d")
    assert successor.links_of(successor.entries["/p1/"]) == ["/p1/", "/static/a.css"]
    assert successor.links_of(successor.entries["/p0/"]) == ["/p0/", "/static/b.css"]
    # Fewer than a third of the paths unused: kept as they are.
    successor.save(tmp_path / "n.json", link_stamps(targets))
    assert len(Manifest.read(tmp_path / "n.json").paths) == 11
    # Most pages gone: the list is made again from what is linked, and links still resolve.
    small = built.successor("settings", {"/p1/": built.entries["/p1/"]})
    small.save(tmp_path / "s.json", link_stamps(targets))
    read = Manifest.read(tmp_path / "s.json")
    assert sorted(read.paths) == ["/p1/", "/static/a.css"]
    assert read.links_of(read.entries["/p1/"]) == ["/p1/", "/static/a.css"]
    assert built.links_of(built.entries["/p1/"]) == ["/p1/", "/static/a.css"]


@pytest.mark.django_db
def test_documents_in_or_below_a_restricted_collection_are_left_out_of_the_copy():
    root = Collection.get_first_root_node()
    private = root.add_child(name="Members' papers")
    below = private.add_child(name="Members' papers, 2026")
    public = root.add_child(name="Price lists")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.PASSWORD, password="pw"
    )
    documents = {
        collection.pk: Document.objects.create(
            title=collection.name,
            collection=collection,
            file=ContentFile(b"grade,price\n", name="prices.csv"),
        )
        for collection in (private, below, public)
    }
    files = public_document_files({document.pk for document in documents.values()})
    shared = documents[public.pk]
    assert files == {shared.pk: Path(shared.file.path)}
    assert files[shared.pk].read_bytes() == b"grade,price\n"
