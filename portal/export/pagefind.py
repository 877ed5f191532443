"""The static copy's search index: Pagefind bundles built from the live search's documents.

Records come from the same search documents the live search uses (title, text, facets), not
from the rendered pages, so the static search finds what the live one finds, with its facets
as Pagefind filters: Type, Kind, Category (with the parent category) and Region. Pagefind has
no incremental mode, so the records are split into shards of about ``SHARD_SIZE`` pages by
page id; a rebuild re-indexes only the shards whose documents changed, and the search page
merges the shards' bundles (listed in ``pagefind/shards.json``) in the browser.
"""

import json
import math
import os
import shutil
import subprocess
import tempfile
import threading
from collections import defaultdict
from html import escape
from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from pagefind_bin import get_executable
from wagtail.models import Site

from search.labels import doc_type_choices, kind_choices
from search.models import SearchDocument

from .output import discard, link_tree, remove_later
from .render import site_address
from .stamps import as_written, digest

BUNDLE = "pagefind"
SHARD_LIST = "shards.json"


class PagefindError(RuntimeError):
    pass


def shard_of(page_id: int, shards: int) -> str:
    return str(page_id % shards)


class Shards:
    """The portal's searchable pages that are in the build, split into shards, with a stamp
    per shard that changes when one of its documents does."""

    def __init__(self, site: Site, paths: set[str]) -> None:
        self.site = site
        prefix = len(site_address(site))
        rows = (
            SearchDocument.objects.filter(site=site)
            .annotate(updated=as_written("updated_at"))
            .values_list("page_id", "url", "updated")
        )
        members = [(pk, url[prefix:], updated) for pk, url, updated in rows]
        members = [row for row in members if row[1] in paths]
        self.count = max(1, math.ceil(len(members) / settings.STATIC_SEARCH_SHARD_SIZE))
        self.members: dict[str, list[tuple]] = defaultdict(list)
        for row in members:
            self.members[shard_of(row[0], self.count)].append(row)
        self.stamps = {
            shard: digest(self.count, *sorted(self.members.get(shard, [])))
            for shard in map(str, range(self.count))
        }

    def records(self, shard: str) -> list[dict]:
        """The Pagefind records of one shard: URL, title, text and filters of each page."""
        prefix = len(site_address(self.site))
        pks = [row[0] for row in self.members.get(shard, [])]
        documents = (
            SearchDocument.objects.filter(page_id__in=pks)
            .order_by("page_id")
            .values_list("page_id", "url", "title", "body", "doc_type", "kind", "region__name")
        )
        categories: dict[int, list[str]] = defaultdict(list)
        through = SearchDocument.categories.through.objects.filter(searchdocument_id__in=pks)
        for pk, name in through.values_list("searchdocument_id", "category__name"):
            categories[pk].append(name)
        labels = dict(doc_type_choices()), dict(kind_choices())
        return [
            {
                "url": url[prefix:],
                "title": title,
                "text": body,
                "filters": filters(Facets(doc_type, kind, categories[pk], region), *labels),
            }
            for pk, url, title, body, doc_type, kind, region in documents
        ]


class Facets(NamedTuple):
    """What a search document is filtered by: its type, kind, category names and region."""

    doc_type: str
    kind: str
    categories: list[str]
    region: str | None

    @classmethod
    def of(cls, doc: SearchDocument) -> "Facets":
        names = [category.name for category in doc.categories.all()]
        return cls(doc.doc_type, doc.kind, names, doc.region.name if doc.region else None)


def filters(facets: Facets, types: dict[str, str], kinds: dict[str, str]) -> dict[str, list[str]]:
    """The live search's facets of a document, as labelled Pagefind filters (``types`` and
    ``kinds``: the labels of document types and kinds)."""
    found = {"Type": [types.get(facets.doc_type, facets.doc_type)]}
    if facets.kind:
        found["Kind"] = [kinds.get(facets.kind, facets.kind)]
    if facets.categories:
        found["Category"] = sorted(facets.categories)
    if facets.region:
        found["Region"] = [facets.region]
    return found


def _source_page(record: dict) -> str:
    spans = "".join(
        f'<span data-pagefind-filter="{escape(name)}">{escape(value)}</span>'
        for name, values in record["filters"].items()
        for value in values
    )
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(record['title'])}</title></head><body><main data-pagefind-body>"
        f"<h1>{escape(record['title'])}</h1><p>{escape(record['text'])}</p>"
        f'<div data-pagefind-ignore="index">{spans}</div></main></body></html>'
    )


def scratch() -> str | None:
    """Memory-backed temporary storage when there is some: Pagefind reads and writes a
    thousand small files per shard, which disks are slow to create."""
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None


def _run(source: Path, output: Path) -> None:
    """Pagefind over the pages in ``source``, its bundle in ``output``. Pagefind writes a
    file per page from dozens of threads at once, which contend for a disk file system's
    directories (worst just after a build's files were deleted): it writes to scratch storage
    when there is some, and ``cp`` copies the bundle over in one process."""
    where = scratch()
    if where is None:
        _pagefind(source, output)
        return
    written = Path(tempfile.mkdtemp(prefix="guildhall-bundle-", dir=where))
    try:
        _pagefind(source, written / BUNDLE)
        copied = subprocess.run(["cp", "-R", "--", str(written / BUNDLE), str(output)])
        if copied.returncode != 0:
            raise PagefindError(f"could not copy the search index into {output}")
    finally:
        shutil.rmtree(written, ignore_errors=True)


def _pagefind(source: Path, output: Path) -> None:
    result = subprocess.run(
        [str(get_executable()), "--site", str(source), "--output-path", str(output), "--silent"],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        lines = (result.stderr or result.stdout).strip().splitlines()
        raise PagefindError(lines[-1] if lines else f"pagefind exited with {result.returncode}")


class Indexing:
    """Shards being indexed by Pagefind in a thread of their own (Pagefind is a program of
    its own: it runs while this process renders); ``wait`` for the stamps to remember."""

    def __init__(self, bundle: Path, stamps: dict[str, str], sources: list[tuple]) -> None:
        self.bundle, self.stamps, self.sources = bundle, stamps, sources
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._index_all, daemon=True)
        self.thread.start()

    def _index_all(self) -> None:
        try:
            for pages, output in self.sources:
                _run(pages, output)
        except BaseException as error:  # raised again by wait()
            self.error = error

    def wait(self) -> dict[str, str]:
        """The shard stamps, once every shard is indexed and listed in ``shards.json``."""
        self.cancel()
        if self.error is not None:
            raise self.error
        built = sorted(
            (p.name for p in self.bundle.iterdir() if (p / "pagefind.js").is_file()), key=int
        )
        listing = self.bundle / SHARD_LIST
        listing.unlink(missing_ok=True)  # never write through a link shared with the last build
        listing.write_text(json.dumps([f"/{BUNDLE}/{shard}/" for shard in built]))
        return self.stamps

    def cancel(self) -> None:
        """Wait for Pagefind to finish and delete its input."""
        self.thread.join()
        for pages, _ in self.sources:
            remove_later(pages)
        self.sources = []


def _write_sources(records: list[dict]) -> Path:
    """Pagefind's input for one shard: a small page per record, on scratch storage."""
    pages = Path(tempfile.mkdtemp(prefix="guildhall-search-", dir=scratch()))
    try:
        for record in records:
            page = pages / record["url"].strip("/") / "index.html"
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(_source_page(record))
    except BaseException:
        remove_later(pages)
        raise
    return pages


def index(
    folder: Path,
    site: Site,
    paths: set[str],
    present: dict[str, str],
    source: Path | None = None,
    source_stamps: dict[str, str] | None = None,
) -> Indexing:
    """Start bringing ``folder/pagefind/`` up to date for the pages at ``paths``.
    ``present``: the stamps of the shards in ``folder`` now; shards that build ``source``
    holds up to date (``source_stamps``) are linked from there. The records are read here;
    Pagefind then runs in the background (see ``Indexing``)."""
    source_stamps = source_stamps or {}
    shards = Shards(site, paths)
    bundle = folder / BUNDLE
    bundle.mkdir(exist_ok=True)
    for stale in bundle.iterdir():
        if stale.is_dir() and stale.name not in shards.stamps:
            discard(stale, folder)
    sources = []
    try:
        for shard, stamp in sorted(shards.stamps.items()):
            output = bundle / shard
            if present.get(shard) == stamp and (output / "pagefind.js").is_file():
                continue
            discard(output, folder)  # its files may be shared with the last build
            ready = source / BUNDLE / shard if source else None
            if ready and source_stamps.get(shard) == stamp and (ready / "pagefind.js").is_file():
                link_tree(ready, output)
                continue
            records = shards.records(shard)
            if records:
                sources.append((_write_sources(records), output))
    except BaseException:
        for pages, _ in sources:
            remove_later(pages)
        raise
    return Indexing(bundle, shards.stamps, sources)
