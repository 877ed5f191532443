"""One portal's static build: plan, render in parallel, copy assets, index, check, swap."""

import multiprocessing
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connections
from wagtail.models import Page, Site

from portal.core.loading import load_pages

from . import collector, fragments, pagefind
from .assets import copy_media, copy_static, link_or_copy
from .linkcheck import broken_links
from .manifest import Manifest, plan
from .output import BuildFolders
from .render import Rendered, Renderer
from .runs import Runs
from .stamps import portal_stamp
from .targets import Target, portal_targets

CHUNK = 40
PARALLEL_FROM = 120  # fewer targets than this render in this process: forking costs more
BULK_FROM = 300  # from this many targets, lookups may be made once for all (see per_build)


class BuildFailed(Exception):
    """The build was abandoned; the previous one is still served."""

    def __init__(self, message: str, details: list[str]) -> None:
        super().__init__(message)
        self.details = details


@dataclass
class BuildReport:
    hostname: str
    folder: Path
    targets: int = 0
    rendered: int = 0
    kept: int = 0
    removed: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)


Progress = Callable[[int], Any]  # given a total, returns an object with update(n) and close()


def build_portal(
    site: Site,
    out: Path,
    base_url: str,
    live_url: str,
    static_root: Path,
    *,
    full: bool = False,
    jobs: int = 1,
    progress: Progress | None = None,
) -> BuildReport:
    """Build (or update) ``out/<hostname>`` for the portal at ``site``."""
    folders = BuildFolders(out, site.hostname)
    with folders.lock(), collector.set_for_build():
        return _build(site, folders, base_url, live_url, static_root, full, jobs, progress)


def _build(
    site: Site,
    folders: BuildFolders,
    base_url: str,
    live_url: str,
    static_root: Path,
    full: bool,
    jobs: int,
    progress: Progress | None,
) -> BuildReport:
    started = time.perf_counter()
    report = BuildReport(site.hostname, folders.link)
    clock = _Clock(report)
    previous_build = folders.current()
    previous = Manifest.load(folders.manifest_of(previous_build) if previous_build else None)
    targets = portal_targets(site)
    stamp = portal_stamp(site, base_url, live_url)
    todo = plan(targets, previous, stamp, full)
    report.targets, report.kept, report.removed = len(targets), len(todo.keep), len(todo.remove)
    cards_stamp = fragments.store_stamp(stamp)
    carried = fragments.load(folders.builds, cards_stamp) if todo.keep else {}
    cards = fragments.Cards(fragments.item_stamps(targets), carried)
    clock.lap("plan")
    staging, held = folders.start(previous_build if todo.keep else None)
    # What the folder being updated holds now (see output.py).
    if held is None:
        held = previous if todo.keep else Manifest()
    clock.lap("copy")
    search: list[pagefind.Indexing] = []
    try:
        current = {t.path for t in targets}
        for path, entry in held.entries.items():
            if path not in current:
                _remove(staging, entry.file)
        for path, entry in todo.keep.items():
            there = held.entries.get(path)
            if there is None or there.digest != entry.digest:
                link_or_copy(previous_build / entry.file, staging / entry.file)
        detail_paths = {t.path for t in targets if t.detail}

        def index_search() -> None:
            """The search index needs no rendered page: made while the pages render."""
            search.append(
                pagefind.index(
                    staging,
                    site,
                    detail_paths,
                    held.search,
                    previous_build if todo.keep else None,
                    previous.search,
                )
            )

        results = render_all(
            site,
            base_url,
            live_url,
            todo.render,
            staging,
            jobs,
            progress,
            cards,
            meanwhile=index_search,
        )
        report.rendered = len(results)
        clock.lap("render")
        manifest = previous.successor(stamp, todo.keep)
        by_path = {t.path: t for t in todo.render}
        failed = []
        for result in results:
            target = by_path[result.path]
            if not result.digest:
                why = f" ({result.error})" if result.error else ""
                failed.append(f"{result.path} answered {result.status}, not {target.status}{why}")
                continue
            manifest.add(result.path, target.file, target.stamp, result.links, result.digest)
        if failed:
            raise BuildFailed(f"{len(failed)} page(s) could not be rendered", sorted(failed))
        copy_static(static_root, staging)
        copy_media(manifest.linked_paths(), staging)
        clock.lap("assets")
        if not search:
            index_search()
        manifest.search = search[0].wait()
        clock.lap("search index")
        # What was rendered now; everything when nothing was kept (see linkcheck.py).
        checked = (
            ((path, manifest.links_of(entry)) for path, entry in manifest.entries.items())
            if not todo.keep
            else ((r.path, r.links) for r in results)
        )
        files = {entry.file for entry in manifest.entries.values()}
        broken = broken_links(checked, files, staging)
        clock.lap("link check")
        if broken:
            raise BuildFailed(
                f"{len(broken)} broken link(s)", [f"{page} → {link}" for page, link in broken]
            )
        manifest.save(folders.manifest_of(staging), todo.linked)
        if not cards.unchanged():
            fragments.save(folders.builds, cards_stamp, cards.kept())
        report.folder = folders.publish(staging)
        clock.lap("swap")
    except BaseException:
        for indexing in search:
            indexing.cancel()
        folders.abandon(staging)
        raise
    report.seconds = time.perf_counter() - started
    return report


def render_all(
    site: Site,
    base_url: str,
    live_url: str,
    targets: list[Target],
    folder: Path,
    jobs: int,
    progress: Progress | None,
    cards: fragments.Cards,
    meanwhile: Callable[[], Any] | None = None,
) -> list[Rendered]:
    """Render ``targets`` into ``folder``; ``meanwhile`` is called while worker processes
    render (or before rendering, when this process renders alone: it may start work of its
    own in the background). ``cards``: the fragments carried from earlier builds, given to
    the renderers, and where those they make are gathered."""
    global _work
    chunks = [targets[i : i + CHUNK] for i in range(0, len(targets), CHUNK)]
    bar = progress(len(targets)) if progress else None
    results: list[Rendered] = []
    try:
        if jobs <= 1 or len(targets) < PARALLEL_FROM:
            if meanwhile is not None:
                meanwhile()
            renderer = Renderer(site.pk, base_url, live_url, bulk=len(targets) > BULK_FROM)
            cards.lend(renderer.memo)
            for chunk in chunks:
                results += renderer.render_to(chunk, folder)
                cards.gather(renderer.memo.take_made())
                if bar:
                    bar.update(len(chunk))
            return results
        # What every worker needs (templates, the menu, a section's breadcrumbs, widgets) is
        # made once here, before the workers are forked: they start with it.
        context = multiprocessing.get_context("fork")
        _work = _Work(
            _warm_renderer(site, base_url, live_url, targets, cards),
            chunks,
            Runs(len(chunks), jobs, context),
            folder,
        )
        connections.close_all()  # each worker opens its own
        collector.freeze_before_fork()
        # A worker that dies (or fails to start) breaks the pool: the build fails, never
        # hangs.
        with ProcessPoolExecutor(jobs, mp_context=context, initializer=_start_worker) as pool:
            # One task per chunk; each renders the next chunk of its worker's run.
            futures = [pool.submit(_render_next) for _ in chunks]
            _work = None
            if meanwhile is not None:
                try:
                    meanwhile()
                except BaseException:
                    pool.shutdown(cancel_futures=True)  # the build fails: stop rendering
                    raise
            for done in as_completed(futures):
                rendered, made = done.result()
                cards.gather(made)
                results += rendered
                if bar:
                    bar.update(len(rendered))
        return results
    finally:
        _work = None
        if bar:
            bar.close()


def _warm_renderer(
    site: Site,
    base_url: str,
    live_url: str,
    targets: list[Target],
    cards: fragments.Cards,
) -> Renderer:
    """A renderer that has rendered one page of each type and one index page of each section
    (thrown away): what they looked up once for all is then in its memo (and the cards they
    made in ``cards``)."""
    renderer = Renderer(site.pk, base_url, live_url)
    cards.lend(renderer.memo)
    detail = {t.page_id for t in targets if t.detail and t.page_id}
    first_of_type: dict[int, int] = {}
    tree = Page.objects.descendant_of(site.root_page, inclusive=True).order_by("pk")
    for pk, content_type in tree.values_list("pk", "content_type"):
        if pk in detail:
            first_of_type.setdefault(content_type, pk)
    firsts = set(first_of_type.values())
    samples, sections = [], set()
    for target in targets:
        if target.detail and target.page_id in firsts:
            samples.append(target)
            firsts.discard(target.page_id)
        elif not target.detail and target.page_id and target.page_id not in sections:
            samples.append(target)
            sections.add(target.page_id)
    pages = load_pages([t.page_id for t in samples if t.detail])
    for target in samples:
        renderer.respond(target, pages.get(target.page_id) if target.detail else None)
    cards.gather(renderer.memo.take_made())
    return renderer


@dataclass
class _Work:
    """What the worker processes of a build inherit when they are forked."""

    renderer: Renderer
    chunks: list[list[Target]]
    runs: Runs
    folder: Path


_work: _Work | None = None
_run: int | None = None  # in a worker process: its run of chunks (see runs.py)


def _start_worker() -> None:
    global _run
    assert _work is not None
    _run = _work.runs.join()


def _render_next() -> tuple[list[Rendered], dict[str, str]]:
    """The results of the next chunk of this worker's run, and the cards made rendering it."""
    assert _work is not None and _run is not None
    index = _work.runs.claim(_run)
    if index is None:  # not while there are as many tasks as chunks
        return [], {}
    renderer = _work.renderer
    return renderer.render_to(_work.chunks[index], _work.folder), renderer.memo.take_made()


def _remove(folder: Path, file: str) -> None:
    path = folder / file
    path.unlink(missing_ok=True)
    for parent in path.parents:
        if parent == folder:
            break
        try:
            parent.rmdir()
        except OSError:
            break


class _Clock:
    def __init__(self, report: BuildReport) -> None:
        self.report, self.last = report, time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.report.timings[name] = now - self.last
        self.last = now
