"""Benchmark: the static export (``build_static``) of a ~10,000-page portal, and a baseline.

Launches the steel portal with N demo listings on its own SQLite database under
``bench/results/static-build/`` (kept, with its media, and reused by the next run at the same
scale; every run works on a fresh copy of it), then times, each in its own process:

- ``build_static steel --full --jobs J`` into an empty folder (image renditions are made), and
  once more with everything in place;
- a rebuild with nothing changed;
- a rebuild after an editor changes one live sell offer's title and publishes it;
- a rebuild after one listing is unpublished;
- the baseline: every target requested through Django's test client (``HTTP_HOST`` set to the
  portal's host, as wagtail-bakery does) in one process and written to a file, timed over an
  even sample of the targets and extrapolated.

Wall times include starting Django; the build's own time and phases are what the command
prints. CPU time (the command and its workers) shows how much other work on the machine slowed
a run down. Memory: the largest resident set of any one process (the command, a worker, or
Pagefind), and the processes' resident sets sampled while they run. A note follows a rebuild
when the portal's stamp changed since the previous one (then every page is rendered again),
for instance because the product's code was edited meanwhile. Settings are
``portal.settings.production`` (the test settings ignore MEDIA_ROOT, which a reused database
needs); the build overrides what an export needs.

    .venv/bin/python bench/static_build.py [--scale 6300] [--jobs 2] [--sample 1000] [--fresh]
"""

import argparse
import json
import math
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results" / "static-build"
WORK_DB = RESULTS / "work.sqlite3"
OUT = RESULTS / "dist"
SLUG, DOMAIN = "steel", "localhost"
SUMMARY = re.compile(
    r"(?P<rendered>[\d,]+) rendered, (?P<kept>[\d,]+) unchanged, (?P<removed>[\d,]+) removed "
    r"in (?P<seconds>[\d.]+) s \((?P<timings>[^)]*)\)"
)


def pristine_db(scale: int) -> Path:
    return RESULTS / f"steel-{scale}.sqlite3"


def media_root(scale: int) -> Path:
    return RESULTS / f"media-{scale}"


def environment(database: Path, scale: int) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "DATABASE_URL": f"sqlite:///{database}",
        "MEDIA_ROOT": str(media_root(scale)),
        "SECRET_KEY": "bench-only-key-" + "x9Q2m" * 10,
        "ALLOWED_HOSTS": "localhost,.localhost",
        "WAGTAILADMIN_BASE_URL": "http://localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "STATIC_BASE_URL": "",
        "STATIC_LIVE_URL": "",
        # The app's own page cache keeps nothing: the baseline renders every page it asks
        # for (a cache would answer pages an earlier build asked for, and keep them).
        "PAGE_CACHE": "off",
    }


PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024
SAMPLE_EVERY = 0.5  # seconds between two looks at the memory of a running measurement


@dataclass
class Run:
    stdout: str
    seconds: float
    cpu: float
    peak_mb: float  # the largest resident set of any one process (exact, from wait4)
    total_mb: float = 0.0  # all the processes together (sampled)
    by_name: dict[str, float] = field(default_factory=dict)  # the largest of each program

    def memory(self) -> str:
        largest = ", ".join(f"{name} {mb:,.0f}" for name, mb in sorted(self.by_name.items()))
        return (
            f"peak RSS {self.peak_mb:,.0f} MB in one process; sampled: {self.total_mb:,.0f} MB "
            f"all together, largest per program {largest} MB"
        )


def process_tree(root: int) -> list[tuple[str, float]]:
    """``(program, resident MB)`` of ``root`` and its descendants, read from /proc."""
    parents: dict[int, int] = {}
    found: dict[int, tuple[str, float]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as stat_file:
                stat = stat_file.read()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()  # from the 3rd field (state) on
        parents[int(entry.name)] = int(fields[1])
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        found[int(entry.name)] = (name, int(fields[21]) * PAGE_KB / 1024)
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        if pid in found:
            tree.append(found[pid])
        todo += [child for child, parent in parents.items() if parent == pid]
    return tree


def run(command: list[str], env: dict[str, str]) -> Run:
    """Run ``command`` to the end: its wall time, the CPU time of it and its children (summed
    by ``wait4``), the largest resident set of any of them, and their memory sampled."""
    total, by_name = 0.0, {}
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, env=env, cwd=ROOT)
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            tree = process_tree(process.pid)
            total = max(total, sum(mb for _, mb in tree))
            for name, mb in tree:
                by_name[name] = max(by_name.get(name, 0.0), mb)
            time.sleep(SAMPLE_EVERY)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if process.returncode:
        sys.stderr.write(stdout + stderr[-4000:])
        raise SystemExit(f"{' '.join(command[1:4])} … failed ({process.returncode})")
    cpu = usage.ru_utime + usage.ru_stime
    return Run(stdout, seconds, cpu, usage.ru_maxrss / 1024, total, by_name)


def prepare(scale: int, fresh: bool) -> None:
    """The launched portal at ``scale``, kept as a pristine database (and its media)."""
    database = pristine_db(scale)
    if database.exists() and not fresh:
        print(f"reusing {database.relative_to(ROOT)} (--fresh to launch again)")
        return
    RESULTS.mkdir(parents=True, exist_ok=True)
    partial = database.with_suffix(".partial")
    for path in (database, partial):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    shutil.rmtree(media_root(scale), ignore_errors=True)
    env = environment(partial, scale)
    python = [sys.executable, "manage.py"]
    run([*python, "migrate", "--noinput", "--verbosity", "0"], env)
    launched = run(
        [*python, "launch_portal", SLUG, "--domain", DOMAIN, "--demo", str(scale)],
        env,
    )
    print(f"launch_portal {SLUG} --demo {scale} (fresh database): {launched.seconds:.1f} s")
    copy_database(partial, database)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)


def copy_database(source: Path, target: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=WAL")
    finally:
        dst.close()
        src.close()


def report(label: str, result: Run, targets: int) -> dict:
    match = SUMMARY.search(result.stdout)
    if not match:
        print(f"{label}: {result.seconds:.1f} s wall; unexpected output:\n{result.stdout}")
        return {}
    figures = {k: int(match[k].replace(",", "")) for k in ("rendered", "kept", "removed")}
    rendered, build_seconds = figures["rendered"], float(match["seconds"])
    timings = {
        name: float(value)
        for name, value, _ in (part.rsplit(" ", 2) for part in match["timings"].split(", "))
    }
    render = timings.get("render", 0.0)
    rate = f", render phase {rendered / render:,.0f} pages/s" if rendered and render else ""
    overall = f" = {rendered / result.seconds:,.0f} pages/s" if rendered == targets else ""
    print(
        f"{label}: {result.seconds:.1f} s wall{overall}, build (as the command reports) "
        f"{build_seconds:.1f} s; {rendered:,} rendered, {figures['kept']:,} kept, "
        f"{figures['removed']:,} removed{rate}; CPU {result.cpu:.1f} s"
    )
    print(f"    phases: {match['timings']}")
    print(f"    memory: {result.memory()}")
    return {**figures, "wall": result.seconds, "build": build_seconds, "timings": timings}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=6300, help="demo listings (default 6300)")
    parser.add_argument("--jobs", type=int, default=2, help="build processes (default 2)")
    parser.add_argument("--sample", type=int, default=1000, help="baseline targets (default 1000)")
    parser.add_argument("--fresh", action="store_true", help="launch a new database")
    parser.add_argument("--baseline-worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline_worker:
        baseline_worker(args.sample)
        return

    # Other work on the machine skews every figure: compare wall time with CPU time.
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at the start")
    prepare(args.scale, args.fresh)
    copy_database(pristine_db(args.scale), WORK_DB)
    # The copy has no renditions yet: start without their files too, as a fresh launch would.
    shutil.rmtree(media_root(args.scale) / "images", ignore_errors=True)
    shutil.rmtree(OUT, ignore_errors=True)
    env = environment(WORK_DB, args.scale)
    # A kept database may predate migrations added since it was launched.
    run([sys.executable, "manage.py", "migrate", "--noinput", "--verbosity", "0"], env)
    os.environ.update(env)

    import django

    django.setup()
    from django.db import connection

    from portal.board.models import BuyRequestPage, SellOfferPage, TradeListingPage
    from portal.export.manifest import Manifest
    from portal.export.output import BuildFolders
    from portal.export.stamps import code_stamp
    from portal.export.targets import portal_sites, portal_targets

    (site,) = portal_sites([SLUG])
    started = time.perf_counter()
    targets = portal_targets(site)
    plan_seconds = time.perf_counter() - started
    pages = sum(1 for t in targets if t.detail)
    print(
        f"database: {connection.vendor}; {len(targets):,} targets ({pages:,} pages, "
        f"{len(targets) - pages:,} index pages, feeds and others), listed in {plan_seconds:.1f} s"
    )

    build = [
        sys.executable,
        "manage.py",
        "build_static",
        SLUG,
        "--out",
        str(OUT),
        "--jobs",
        str(args.jobs),
    ]

    folders = BuildFolders(OUT, site.hostname)
    stamps = {"code": code_stamp(), "portal": ""}

    def rebuild(label: str, *extra: str) -> dict:
        connection.close()  # the build opens its own
        figures = report(label, run([*build, *extra], env), len(targets))
        # Any change to the product's code on disk (someone editing it while this runs)
        # changes every page's stamp: say so, since the figures then mean a full render.
        code, portal = code_stamp(), Manifest.load(folders.manifest_of(folders.current())).settings
        if stamps["portal"] and portal != stamps["portal"]:
            cause = "product code changed on disk" if code != stamps["code"] else "not the code"
            print(f"    note: the portal stamp changed since the last build ({cause})")
        stamps.update(code=code, portal=portal)
        return figures

    results = {
        "full": rebuild(f"full build, empty folder (--full --jobs {args.jobs})", "--full"),
        "full again": rebuild("full build again, renditions and files present", "--full"),
        "no change": rebuild("rebuild, nothing changed"),
    }

    def open_listings(model):
        return model.objects.live().filter(TradeListingPage.current()).order_by("pk")

    offers = open_listings(SellOfferPage)
    offer = offers[offers.count() // 2].get_latest_revision_as_object()
    offer.title = f"{offer.title} (edited)"
    offer.save_revision().publish()
    edited = OUT / site.hostname / offer.get_url_parts()[2].lstrip("/") / "index.html"
    results["edit"] = rebuild("rebuild after editing one sell offer's title")
    ok = edited.is_file() and "(edited)" in edited.read_text()
    print(f"    {edited.relative_to(OUT)} shows the new title: {'yes' if ok else 'NO'}")

    requests = open_listings(BuyRequestPage)
    request = requests[requests.count() // 2]
    gone = OUT / site.hostname / request.get_url_parts()[2].lstrip("/") / "index.html"
    request.unpublish()
    results["unpublish"] = rebuild("rebuild after unpublishing one listing")
    print(f"    {gone.relative_to(OUT)} removed: {'yes' if not gone.exists() else 'NO'}")

    connection.close()
    worker = [sys.executable, __file__, "--baseline-worker", "--sample", str(args.sample)]
    baseline = run(worker, env)
    figures = json.loads(baseline.stdout.strip().splitlines()[-1])
    per_page = figures["seconds"] / figures["rendered"]
    total = per_page * figures["targets"]
    print(
        f"baseline, Django test client, 1 process: {figures['rendered']:,} of "
        f"{figures['targets']:,} targets (every {figures['step']}th) in {figures['seconds']:.1f} s"
        f" = {1 / per_page:,.0f} pages/s, {per_page * 1000:.1f} ms/page; extrapolated to all "
        f"targets: {total:.0f} s; process wall {baseline.seconds:.1f} s, CPU {baseline.cpu:.1f} s"
    )
    print(f"    memory: {baseline.memory()}")
    full = results["full again"]
    if full.get("wall"):
        print(
            f"full build (--jobs {args.jobs}, wall) vs baseline (extrapolated): "
            f"{full['wall']:.0f} s vs {total:.0f} s, {total / full['wall']:.1f}x"
        )
    summary(results, per_page, figures["targets"])
    print(f"load average {os.getloadavg()[0]:.2f} at the end")


LABELS = {
    "full": "full build, empty folder",
    "full again": "full build again",
    "no change": "nothing changed",
    "edit": "one title edited",
    "unpublish": "one listing unpublished",
}


def summary(results: dict[str, dict], per_page: float, targets: int) -> None:
    """Each build beside its baseline, measured in this same run: the test client rendering
    every target (a build without incremental updates, as wagtail-bakery makes, does so every
    time), and rendering only the files this build rendered; the ratio is baseline / build."""
    everything = per_page * targets
    print(
        f"summary, against the test-client baseline of this run ({per_page * 1000:.1f} ms/file, "
        f"{1 / per_page:,.0f} files/s, one process):"
    )
    header = (
        "build",
        "wall",
        "in the command",
        "files",
        "files/s (wall)",
        "baseline: all files",
        "ratio",
        "baseline: same files",
        "ratio",
    )
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for key, label in LABELS.items():
        figures = results.get(key) or {}
        if not figures:
            continue
        wall, build, rendered = figures["wall"], figures["build"], figures["rendered"]
        same = per_page * rendered
        rate = f"{rendered / wall:,.0f}" if rendered else "-"
        row = (
            label,
            f"{wall:.1f} s",
            f"{build:.1f} s",
            f"{rendered:,}",
            rate,
            f"{everything:.0f} s",
            f"{everything / wall:.1f}x",
            f"{same:.1f} s",
            f"{same / build:.1f}x" if rendered else "-",
        )
        print("| " + " | ".join(row) + " |")


def baseline_worker(sample: int) -> None:
    """Render an even sample of the targets through the test client; print JSON figures."""
    import django

    django.setup()
    from django.test import Client

    from portal.export.assets import export_settings
    from portal.export.targets import portal_sites, portal_targets

    (site,) = portal_sites([SLUG])
    targets = portal_targets(site)
    step = max(1, math.ceil(len(targets) / sample))
    chosen = targets[::step]
    folder = RESULTS / "baseline"
    shutil.rmtree(folder, ignore_errors=True)
    host = site.hostname if site.port in (80, 443) else f"{site.hostname}:{site.port}"
    with export_settings(RESULTS / "baseline-static"):
        client = Client(HTTP_HOST=host)
        started = time.perf_counter()
        for target in chosen:
            response = client.get(target.request_path or target.path)
            if response.status_code != target.status:
                raise SystemExit(f"{target.path} answered {response.status_code}")
            body = (
                b"".join(response.streaming_content)
                if getattr(response, "streaming", False)
                else response.content
            )
            path = folder / target.file
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(body)
        seconds = time.perf_counter() - started
    figures = {"targets": len(targets), "rendered": len(chosen), "step": step, "seconds": seconds}
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
