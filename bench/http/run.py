"""HTTP benchmark of the page cache: wrk against the uncached app, the app's own page cache and
Varnish, per page type, cold and warm, beside a static-file ceiling measured in the same run.

Reuses ``bench/load/run.py``: its PostgreSQL template database with the demo content
(``guildhall_load_template``, every portal launched with ``--demo N``; its portals answer to
``<slug>.localhost:8150``, so that is the Host header sent whatever port is used), copied here
into a database of its own (``guildhall_http``), and its gunicorn (``portal.wsgi``,
production settings, 2 workers). For each of three set-ups:

- ``off``: gunicorn alone, ``PAGE_CACHE=off`` (every request rendered);
- ``django``: gunicorn alone, ``PAGE_CACHE=django`` (anonymous pages kept by the app, in a
  file-based Django cache of the run's own);
- ``varnish``: Varnish (``scripts/varnish.sh``, ``deploy/varnish/guildhall.vcl``) in front of
  gunicorn, ``VARNISH_URL`` set;

it measures, with ``wrk -t2 -c8 -d<seconds> --latency``, a static file (served by WhiteNoise
through the same gunicorn, and through Varnish, which keeps it): the ceiling. Then, for each
page type of one portal (home page, board, listing pages, company pages, the board's feed,
the search page), **cold**: the first ``--seconds`` after a restart of gunicorn (``off``: the
workers' first renders) or after a purge of the page cache (``django``: its folder emptied;
``varnish``: the portal banned, as the app does; the workers have rendered each page type
before), and **warm**: after every URL of the page type was fetched once more (and then
answered HIT), or, for ``off``, right after the cold cell.
Listing and company cells walk up to ``--urls`` distinct pages (bench/load/plan.py's choice),
the others one URL; a cold cell of one URL is a single miss followed by hits.

Before the first measure, every URL is fetched once, not counted: image renditions are made
and PostgreSQL's buffers filled, so that "cold" is the page cache's and the workers', not the
media's. Every request accepts gzip, as browsers do. At the end (unless ``--no-anatomy``),
``anatomy.py`` renders each page type in one process, with a profiler and PostgreSQL's
EXPLAIN of its slowest queries: where the time of an uncached page goes.

It prints per cell: requests per second, p50 and p99 latency (wrk's), non-2xx/3xx answers
and socket errors, the requests that reached gunicorn and their median time in it (its
access log), the bytes per answer and the ratio of the rate to the ceiling of the same path
(gunicorn's static file for ``off`` and ``django``, Varnish's for ``varnish``). Everything it
starts (gunicorn, varnishd) is stopped at the end, also on failure or Ctrl-C. wrk's outputs,
gunicorn's logs and the results (``results.json``) stay in ``HTTP_WORKDIR`` (by default
``guildhall-http`` in the temporary folder).

    .venv/bin/python bench/http/run.py [--seconds 8] [--scale 400] [--portal steel]
    make bench-http [HTTP_SECONDS=8]
"""

import argparse
import contextlib
import http.client
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent.parent
HERE = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.load import run as load  # noqa: E402
from tests.support import free_port  # noqa: E402

WORK = Path(os.environ.get("HTTP_WORKDIR") or Path(tempfile.gettempdir()) / "guildhall-http")
RUN_DB = "guildhall_http"
# The port of the template database's domains (bench-load's default --port): another one
# would make load.prepare() launch the shared template again.
DOMAIN_PORT = 8150
MODES = {
    "off": "gunicorn, PAGE_CACHE=off",
    "django": "gunicorn, PAGE_CACHE=django",
    "varnish": "Varnish in front of gunicorn",
}
# What every request says it accepts: gzip, as every browser does (then WhiteNoise and
# Varnish answer with the static file's .gz; without it, Varnish unzips it for every answer).
ACCEPT = {"Accept-Encoding": "gzip"}
PAGE_TYPES = ("home", "board", "listing", "company", "feed", "search")
VARNISH_NAME = "bench-http"


def page_paths(plan: dict, slug: str, urls: int) -> dict[str, list[str]]:
    portal = next(p for p in plan["portals"] if p["slug"] == slug)
    word = portal["search"]["words"][0]
    return {
        "home": ["/"],
        "board": ["/board/"],
        "listing": spread(portal["items"]["listing"], urls),
        "company": spread(portal["items"]["company"], urls),
        "feed": ["/feeds/board/rss.xml"],
        "search": [f"/search/?q={word}"],
    }


def spread(items: list[str], count: int) -> list[str]:
    """At most ``count`` of ``items``, evenly spread over the list."""
    step = max(1, len(items) / count)
    return [items[int(i * step)] for i in range(min(count, len(items)))]


# --- the set-up -------------------------------------------------------------------------


def database(server: str) -> str:
    """A copy of the template of its own (bench-load's copy is dropped by its runs)."""
    load.sql(
        server,
        f"DROP DATABASE IF EXISTS {RUN_DB}",
        f"CREATE DATABASE {RUN_DB} TEMPLATE {load.TEMPLATE_DB}",
    )
    return load.database_url(server, RUN_DB)


def media(scale: int) -> Path:
    """The template's media, linked file by file: the renditions made here stay here."""
    source, target = load.WORK / f"media-{scale}", WORK / "media"
    shutil.rmtree(target, ignore_errors=True)
    try:
        shutil.copytree(source, target, copy_function=os.link)
    except OSError:
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(source, target)
    return target


def environment(database_url: str, scale: int) -> dict[str, str]:
    return load.environment(database_url, DOMAIN_PORT, scale) | {
        "MEDIA_ROOT": str(media(scale)),
        "STATIC_ROOT": str(WORK / "static"),
        "EMAIL_FILE_PATH": str(WORK / "mail"),
        "PAGE_CACHE_DIR": str(WORK / "page-cache"),
        # The limiter still runs, with a limit no cell reaches: every request comes from
        # 127.0.0.1, and 120/m would answer most uncached search requests 429.
        "RATE_LIMIT_SEARCH": "1000000/m",
        "VARNISH_URL": "",
    }


def static_url() -> str:
    with mock.patch.object(load, "WORK", WORK):
        return load.static_file()


# --- what runs: gunicorn, Varnish --------------------------------------------------------


class Stack:
    """gunicorn (and Varnish in front of it in the ``varnish`` mode); stops what it started."""

    def __init__(self, env: dict[str, str], probe: str) -> None:
        self.env, self.probe = env, probe
        self.app_port = free_port()
        self.varnish_port, self.admin_port = free_port(), free_port()
        self.purge_port = free_port()
        self.server: load.Server | None = None
        self.varnish = False
        self.log = WORK / "gunicorn.log"
        self.logged: Counter = Counter()

    def start_app(self, mode: str) -> None:
        self.stop_app()
        env = self.env | {"PAGE_CACHE": "off" if mode == "off" else "django"}
        if mode == "varnish":
            env |= {"PAGE_CACHE": "varnish", "VARNISH_URL": f"http://127.0.0.1:{self.purge_port}"}
        self.server = load.Server(env, self.app_port, self.log, self.probe)
        wait_for_workers(self.server.process.pid)

    def stop_app(self) -> None:
        if self.server is not None:
            self.server.stop()
            for name, count in self.server.logged().items():
                self.logged[name] += count
            # Each start writes gunicorn.log afresh: every one's is kept in gunicorn.all.log.
            with self.log.with_name("gunicorn.all.log").open("a") as kept:
                kept.write(self.log.read_text(errors="replace"))
            self.server = None

    def start_varnish(self) -> None:
        self.varnish = True
        varnish(
            "start",
            "--listen",
            f"127.0.0.1:{self.varnish_port}",
            "--backend",
            f"127.0.0.1:{self.app_port}",
            "--admin",
            f"127.0.0.1:{self.admin_port}",
            "--purge-listen",
            f"127.0.0.1:{self.purge_port}",
        )

    def stop_varnish(self) -> None:
        if self.varnish:
            varnish("stop")
            self.varnish = False

    def stop(self) -> None:
        try:
            self.stop_app()
            self.stop_strays()
        finally:
            self.stop_varnish()

    def stop_strays(self) -> None:
        """A gunicorn of ours that load.Server gave up on (it did not answer in time)."""
        for pid in load.children(os.getpid()):
            with contextlib.suppress(OSError):
                command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
                if any(b"gunicorn" in part for part in command) and (
                    f"127.0.0.1:{self.app_port}".encode() in command
                ):
                    os.kill(pid, signal.SIGTERM)
                    for _ in range(100):
                        if not Path(f"/proc/{pid}").exists() or os.waitpid(pid, os.WNOHANG)[0]:
                            break
                        time.sleep(0.1)


def wait_for_workers(master: int, quiet: float = 0.6, limit: float = 60) -> None:
    """Until every worker has loaded the app: its CPU time stands still for ``quiet`` s.
    (load.Server waits for one answer and for the workers' processes, not for each worker.)"""
    deadline, still_since, last = time.monotonic() + limit, time.monotonic(), None
    while time.monotonic() < deadline:
        now = [load.cpu_seconds([pid]) for pid in load.children(master)]
        if now != last:
            last, still_since = now, time.monotonic()
        elif time.monotonic() - still_since >= quiet:
            return
        time.sleep(0.1)


def varnish(*args: str) -> str:
    out = subprocess.run(
        ["bash", "scripts/varnish.sh", *args, "--name", VARNISH_NAME],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if out.returncode:
        sys.stderr.write(out.stderr[-3000:])
        raise SystemExit(f"scripts/varnish.sh {args[0]} failed ({out.returncode})")
    return out.stdout


def ban_portal(port: int, host: str) -> None:
    """What the app sends Varnish when a whole portal changed."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("BAN", "/", headers={"Host": host, "X-Ban-Prefix": "/"})
    response = connection.getresponse()
    response.read()
    connection.close()
    if response.status != 200:
        raise SystemExit(f"Varnish refused the ban: {response.status} {response.reason}")


def fetch(port: int, host: str, path: str) -> tuple[str, int, str, int]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request("GET", path, headers={"Host": host, **ACCEPT})
        response = connection.getresponse()
        body = response.read()
        return path, response.status, response.getheader("X-Cache", "-"), len(body)
    finally:
        connection.close()


def fetch_all(port: int, host: str, paths: list[str], parallel: int = 4) -> list[tuple]:
    with ThreadPoolExecutor(parallel) as pool:
        return list(pool.map(lambda path: fetch(port, host, path), paths))


def outcome(fetched: list[tuple]) -> str:
    statuses = Counter(status for _, status, _, _ in fetched)
    caches = Counter(cache for _, _, cache, _ in fetched)
    return (
        f"{len(fetched)} URLs: "
        + ", ".join(f"{n} × {s}" for s, n in sorted(statuses.items()))
        + "; X-Cache "
        + ", ".join(f"{n} × {c}" for c, n in sorted(caches.items()))
    )


# --- wrk --------------------------------------------------------------------------------


def wrk(args: argparse.Namespace, port: int, host: str, paths: list[str], label: str) -> dict:
    paths_file = WORK / "paths" / f"{label}.txt"
    paths_file.parent.mkdir(exist_ok=True)
    paths_file.write_text("\n".join(paths) + "\n")
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{args.seconds}s",
        "--latency",
        "-s",
        str(HERE / "paths.lua"),
        "-H",
        f"Host: {host}",
        "-H",
        f"X-Load-Step: {label}",
        *(arg for name, value in ACCEPT.items() for arg in ("-H", f"{name}: {value}")),
        "--timeout",
        f"{args.timeout}s",
        f"http://127.0.0.1:{port}",
        "--",
        str(paths_file),
    ]
    out = subprocess.run(command, capture_output=True, text=True, timeout=args.seconds + 120)
    (WORK / "wrk").mkdir(exist_ok=True)
    (WORK / "wrk" / f"{label}.txt").write_text(" ".join(command) + "\n" + out.stdout + out.stderr)
    found = re.search(r"^WRKJSON (.*)$", out.stdout, re.MULTILINE)
    if out.returncode or not found:
        raise SystemExit(f"wrk failed ({out.returncode}): {out.stdout[-1000:]}{out.stderr}")
    result = json.loads(found.group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out.stdout)
    result["non2xx"] = int(non2xx.group(1)) if non2xx else 0
    seconds = result["duration_us"] / 1e6
    result |= {
        "rate": result["requests"] / seconds,
        "errors": result["connect"] + result["read"] + result["write"] + result["timeout"],
        "kb": result["bytes"] / max(1, result["requests"]) / 1024,
    }
    return result


class Run:
    """The cells of one run and the access log they are read from."""

    def __init__(self, args: argparse.Namespace, stack: Stack, host: str, static: str) -> None:
        self.args, self.stack, self.host, self.static = args, stack, host, static
        self.cells: list[dict] = []

    def measure(self, mode: str, page: str, state: str, paths: list[str], via: str) -> dict:
        port = self.stack.varnish_port if via == "varnish" else self.stack.app_port
        label = f"{mode}:{page}:{state}:{via}"
        server = self.stack.server
        mark = server.mark() if server else 0
        load_average = os.getloadavg()[0]
        result = wrk(self.args, port, self.host, paths, label)
        # The access log after the mark is this cell's (server_times() files it under the
        # step's first part, the mode); fetches without the X-Load-Step header are left out.
        times = server.server_times(mark).get(mode, []) if server else []
        cell = {
            "label": label,
            "mode": mode,
            "page": page,
            "state": state,
            "via": via,
            "urls": len(paths),
            "load_average": load_average,
            **result,
            "app_requests": len(times),
            "app_p50": statistics.median(times) if times else None,
        }
        self.cells.append(cell)
        print(row(cell, None), flush=True)
        return cell


# --- the report -------------------------------------------------------------------------


HEADER = (
    f"{'set-up':8} {'page':8} {'via':8} {'state':5} {'URLs':>4} {'req/s':>8} {'p50 ms':>7} "
    f"{'p99 ms':>7} {'non-2xx':>7} {'errors':>6} {'app req':>7} {'app p50':>7} {'KB':>5} "
    f"{'ceiling':>8}"
)


def row(cell: dict, ceiling: float | None) -> str:
    app_p50 = f"{cell['app_p50']:7.1f}" if cell["app_p50"] is not None else f"{'-':>7}"
    ratio = f"{cell['rate'] / ceiling:8.0%}" if ceiling else f"{'':>8}"
    return (
        f"{cell['mode']:8} {cell['page']:8} {cell['via']:8} {cell['state']:5} {cell['urls']:4} "
        f"{cell['rate']:8.0f} {cell['p50_us'] / 1000:7.1f} {cell['p99_us'] / 1000:7.1f} "
        f"{cell['non2xx']:7} {cell['errors']:6} {cell['app_requests']:7} {app_p50} "
        f"{cell['kb']:5.1f} {ratio}"
    )


def ceiling_of(cells: list[dict], mode: str, via: str) -> float | None:
    """The mean rate of the static file in ``mode`` through ``via``."""
    rates = [
        c["rate"] for c in cells if c["mode"] == mode and c["page"] == "static" and c["via"] == via
    ]
    return statistics.mean(rates) if rates else None


def report(args: argparse.Namespace, cells: list[dict], static: str, notes: list[str]) -> None:
    print()
    print(
        f"wrk -t{args.threads} -c{args.connections} -d{args.seconds}s per cell; portal "
        f"{args.portal} (--demo {args.scale}); gunicorn {load.WORKERS} workers, production "
        f"settings, PostgreSQL; {os.cpu_count()} cores shared with other work"
    )
    print(f"ceiling: {static} (static file), through the same gunicorn / through Varnish")
    print(
        "ceiling column: req/s as a share of the same path's static file (gunicorn's for off "
        "and django, Varnish's for varnish, the mean of its measures)"
    )
    print("app req: requests that reached gunicorn; app p50: their median time in it (ms)")
    print()
    print(HEADER)
    print("-" * len(HEADER))
    for mode in MODES:
        mine = [c for c in cells if c["mode"] == mode]
        if not mine:
            continue
        for cell in mine:
            print(row(cell, ceiling_of(cells, mode, cell["via"])))
        print()
    bad = sum(c["non2xx"] + c["errors"] for c in cells)
    print(f"non-2xx/3xx answers and socket errors, all cells: {bad} (goal 0)")
    varnish = [c for c in cells if c["mode"] == "varnish" and c["page"] != "static"]
    if varnish:
        ceiling = ceiling_of(cells, "varnish", "varnish") or float("nan")
        warm = [c for c in varnish if c["state"] == "warm"]
        met = [c["page"] for c in warm if c["rate"] >= 0.8 * ceiling]
        print(
            f"warm pages through Varnish at >= 80% of its static ceiling ({ceiling:.0f} req/s): "
            f"{len(met)} of {len(warm)} ({', '.join(met) or 'none'})"
        )
    for note in notes:
        print(note)


# --- the run ----------------------------------------------------------------------------


def interrupted(signum: int, frame: object) -> None:
    raise SystemExit(f"stopped by signal {signum}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=8, help="seconds per cell (8)")
    parser.add_argument("--scale", type=int, default=400, help="demo listings per portal")
    parser.add_argument("--portal", default="steel", help="the portal measured (steel)")
    parser.add_argument("--urls", type=int, default=300, help="URLs per listing/company cell")
    parser.add_argument("--timeout", type=int, default=30, help="wrk's timeout (30 s)")
    parser.add_argument(
        "--identity", action="store_true", help="send no Accept-Encoding (default: gzip)"
    )
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (2)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (8)")
    parser.add_argument(
        "--modes", default=",".join(MODES), help=f"set-ups to measure ({','.join(MODES)})"
    )
    parser.add_argument(
        "--pages", default=",".join(PAGE_TYPES), help=f"page types ({','.join(PAGE_TYPES)})"
    )
    parser.add_argument("--no-anatomy", dest="anatomy", action="store_false")
    parser.add_argument("--fresh", action="store_true", help="launch the portals again")
    args = parser.parse_args()
    modes = [m for m in args.modes.split(",") if m]
    pages = [p for p in args.pages.split(",") if p]
    if unknown := set(modes) - set(MODES) | set(pages) - set(PAGE_TYPES):
        parser.error(f"unknown set-ups or page types: {', '.join(sorted(unknown))}")
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk (make bench-http installs it)")
    signal.signal(signal.SIGTERM, interrupted)
    if args.identity:
        ACCEPT.clear()
    started = time.monotonic()

    WORK.mkdir(parents=True, exist_ok=True)
    for name in ("wrk", "paths", "page-cache", "mail"):
        shutil.rmtree(WORK / name, ignore_errors=True)
    for name in ("gunicorn.log", "access.log", "gunicorn.all.log"):
        (WORK / name).unlink(missing_ok=True)
    (WORK / "mail").mkdir()
    server_url = load.postgres_url()
    load.prepare(server_url, args.scale, DOMAIN_PORT, args.fresh)
    env = environment(database(server_url), args.scale)
    load.manage(env, "collectstatic", "--noinput", "--clear", "--verbosity", "0")
    static = static_url()
    plan_file = WORK / "plan.json"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "load" / "plan.py"), str(plan_file)],
        cwd=ROOT,
        env=env,
        check=True,
    )
    paths = page_paths(json.loads(plan_file.read_text()), args.portal, args.urls)
    host = f"{args.portal}.localhost:{DOMAIN_PORT}"
    notes: list[str] = []
    stack = Stack(env, static)
    run = Run(args, stack, host, static)
    notes.append(f"set-up (database, static files, plan): {time.monotonic() - started:.0f} s")
    print(f"{host}; static file {static}; cells as they run:")
    print(HEADER, flush=True)
    try:
        for index, mode in enumerate(modes):
            mode_started = time.monotonic()
            if mode == "varnish":
                stack.start_varnish()
            shutil.rmtree(WORK / "page-cache", ignore_errors=True)
            stack.start_app(mode)
            if index == 0:
                # Not counted: renditions made, PostgreSQL's buffers filled, every URL a 200.
                every = [p for page in pages for p in paths[page]]
                fetched = fetch_all(stack.app_port, host, every)
                notes.append(f"warm-up, not counted: {outcome(fetched)}")
                if wrong := [f for f in fetched if f[1] != 200]:
                    raise SystemExit(f"not every URL answers 200: {wrong[:10]}")
            elif mode != "off":
                # Every worker has rendered every page type once: a cold cell of the page
                # cache is the cache's, not the workers' first renders (see "off" for those).
                fetch_all(stack.app_port, host, [paths[page][0] for page in pages for _ in "abcd"])
            if mode == "varnish":
                fetch(stack.varnish_port, host, static)
                run.measure(mode, "static", "warm", [static], "varnish")
            else:
                run.measure(mode, "static", "warm", [static], "gunicorn")
            via = "varnish" if mode == "varnish" else "gunicorn"
            port = stack.varnish_port if mode == "varnish" else stack.app_port
            for page in pages:
                # Cold: without a page cache, a restarted app; with one, an emptied cache (the
                # Django cache's folder removed; in Varnish, the portal banned, as the app does).
                if mode == "off":
                    stack.start_app(mode)
                shutil.rmtree(WORK / "page-cache", ignore_errors=True)
                if mode == "varnish":
                    ban_portal(stack.purge_port, host)
                run.measure(mode, page, "cold", paths[page], via)
                if mode != "off":
                    fetch_all(port, host, paths[page])  # what the cold cell did not reach
                    checked = outcome(fetch_all(port, host, paths[page]))
                    notes.append(f"{mode} {page}, fetched again before warm: {checked}")
                run.measure(mode, page, "warm", paths[page], via)
            if mode == "varnish":
                run.measure(mode, "static", "warm", [static], "varnish")
            stack.stop()
            notes.append(f"{mode}: {time.monotonic() - mode_started:.0f} s")
    finally:
        stack.stop()
    (WORK / "results.json").write_text(json.dumps(run.cells, indent=1))
    if args.anatomy:
        anatomy = subprocess.run(
            [
                sys.executable,
                str(HERE / "anatomy.py"),
                host,
                *(f"{page}={paths[page][0]}" for page in pages),
            ],
            cwd=ROOT,
            env=env | {"PAGE_CACHE": "off"},
            capture_output=True,
            text=True,
        )
        notes.append(anatomy.stdout + anatomy.stderr[-2000:])
    notes.append(f"gunicorn's logs: {dict(stack.logged)}")
    notes.append(f"whole run: {time.monotonic() - started:.0f} s; files in {WORK}")
    report(args, run.cells, static, notes)
    with contextlib.suppress(Exception):
        shutil.rmtree(WORK / "page-cache")


if __name__ == "__main__":
    main()
