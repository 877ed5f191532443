"""Load and soak benchmark: a mixed scenario against gunicorn (production settings), with
locust, beside a baseline measured in the same run.

Sets up, once, a PostgreSQL database of its own (``guildhall_load_template``: migrated, every
portal launched with ``--demo N``, demo accounts, the board's jobs, the search documents) with
its media, and copies it into a fresh ``guildhall_load`` for every run, so that every run
starts from the same data. Then it collects the static files, starts gunicorn on loopback
(``portal.wsgi``, the production settings, 2 workers) and drives it with locust (headless):

1. the **baseline**: the same number of users with the visitors' pauses, each fetching one
   static file (served by WhiteNoise through the same gunicorn), for ``--baseline-seconds``;
2. a warm-up: the scenario for ``--warmup-seconds``, not counted (each worker compiles its
   templates and fills its caches);
3. the **scenario** for ``--seconds``: visitors browse, search, autocomplete and send
   inquiries; members post listings; moderators approve them in the Wagtail admin (see
   ``locustfile.py``); the workers' resident memory is sampled every ``--sample-every`` s;
4. the baseline again, to show whether the machine's other work changed meanwhile.

It prints, per action: requests, failures, 429s, p50 and p99 latency as locust saw it, the
server's own p50 (gunicorn's access log: from accepting the request to the response, so
without the wait for a free worker) and requests per second, with the ratio of each latency
to the baseline's (and of the total rate to the baseline's); the errors and what the server
logged; the CPU time of the workers per request and how busy the machine was; the resident
memory of each worker at boot, at the start and end of the scenario, its growth, and its
growth over the second half (and every sample, with the requests of each interval, with
``--samples``). The files of the last run (locust's and gunicorn's logs, the emails) are in
the work folder (``LOAD_WORKDIR``, by default ``guildhall-load`` in the temporary folder).

Rate limits stay the product's, except the per-account limit on posting listings
(``RATE_LIMIT_LISTING``), which a few demo members posting all through the run would reach:
every visitor of the scenario comes from an address of its own, passed by a trusted proxy
(``TRUSTED_PROXIES=1``, ``X-Forwarded-For``), and takes a fresh one every few actions, as
new visitors do. 429s are counted apart from the other failures.

    .venv/bin/python bench/load/run.py [--seconds 60] [--users 24] [--scale 400]
    .venv/bin/python bench/load/run.py --seconds 600 --sample-every 30 --samples --steps
"""

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
WORK = Path(os.environ.get("LOAD_WORKDIR") or Path(tempfile.gettempdir()) / "guildhall-load")
TEMPLATE_DB, RUN_DB = "guildhall_load_template", "guildhall_load"
PASSWORD = "guildhall-demo"  # demo_users' default
WORKERS = 2
MB = 1024
ACTIONS = ("browse", "search", "autocomplete", "inquiry", "post", "moderate")
LOCUST_SCENARIO = ("Visitor", "Member", "Moderator")
# Members and moderators in every run (one per portal); the other users are visitors.
FIXED_USERS = 6


def postgres_url() -> str:
    """The server of scripts/postgres.sh (started if needed): its maintenance database URL."""
    out = subprocess.run(
        ["bash", "scripts/postgres.sh"], cwd=ROOT, check=True, capture_output=True, text=True
    )
    return out.stdout.strip().splitlines()[-1]


def database_url(server: str, name: str) -> str:
    return server.rsplit("/", 1)[0] + "/" + name


def sql(server: str, *statements: str) -> list:
    """Run statements on the maintenance database (autocommit); the last one's rows."""
    import psycopg

    with psycopg.connect(server, autocommit=True) as connection:
        rows = []
        for statement in statements:
            cursor = connection.execute(statement)
            rows = cursor.fetchall() if cursor.description else []
        return rows


def environment(database: str, port: int, scale: int) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": database,
        "MEDIA_ROOT": str(WORK / f"media-{scale}"),
        "STATIC_ROOT": str(WORK / "static"),
        "SECRET_KEY": "load-bench-only-key-" + "k7Vq2" * 10,
        "ALLOWED_HOSTS": "localhost,.localhost",
        "WAGTAILADMIN_BASE_URL": f"http://localhost:{port}",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(WORK / "mail"),
        "SEARCH_URL": "",
        "CACHE_URL": "",
        "TRUSTED_PROXIES": "1",
        "RATE_LIMIT_LISTING": "10000/h",
        "STATIC_BASE_URL": "",
        "STATIC_LIVE_URL": "",
        "LOG_LEVEL": "WARNING",
    }


def manage(env: dict[str, str], *args: str) -> str:
    out = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if out.returncode:
        sys.stderr.write(out.stdout[-2000:] + out.stderr[-4000:])
        raise SystemExit(f"manage.py {' '.join(args)} failed ({out.returncode})")
    return out.stdout


def prepare(server: str, scale: int, port: int, fresh: bool) -> None:
    """The launched portals at ``scale``, kept as a template database (and its media)."""
    marker = f"guildhall load benchmark: --demo {scale} --domain localhost:{port}"
    found = sql(
        server,
        f"SELECT shobj_description(oid, 'pg_database') FROM pg_database "
        f"WHERE datname = '{TEMPLATE_DB}'",
    )
    if found and found[0][0] == marker and not fresh:
        print(f"reusing the database {TEMPLATE_DB} ({marker}; --fresh to launch again)")
        # The code may have moved on since: bring the kept database's schema up to date.
        manage(environment(database_url(server, TEMPLATE_DB), port, scale), "migrate", "--noinput")
        return
    started = time.perf_counter()
    sql(server, f"DROP DATABASE IF EXISTS {TEMPLATE_DB}", f"CREATE DATABASE {TEMPLATE_DB}")
    shutil.rmtree(WORK / f"media-{scale}", ignore_errors=True)
    env = environment(database_url(server, TEMPLATE_DB), port, scale)
    manage(env, "migrate", "--noinput")
    manage(env, "launch_portal", "--all", "--domain", f"localhost:{port}", "--demo", str(scale))
    manage(env, "demo_users")
    manage(env, "run_board_jobs")
    manage(env, "search_index", "rebuild")
    sql(server, f"COMMENT ON DATABASE {TEMPLATE_DB} IS '{marker}'")
    print(f"launched every portal with --demo {scale}: {time.perf_counter() - started:.0f} s")


def fresh_copy(server: str) -> None:
    sql(
        server,
        f"DROP DATABASE IF EXISTS {RUN_DB}",
        f"CREATE DATABASE {RUN_DB} TEMPLATE {TEMPLATE_DB}",
    )


def static_file() -> str:
    """The URL of the stylesheet every public page links, as WhiteNoise serves it."""
    manifest = json.loads((WORK / "static" / "staticfiles.json").read_text())["paths"]
    name = next(n for n in sorted(manifest) if n.startswith("themes/base/") and n.endswith(".css"))
    return "/static/" + manifest[name]


# --- gunicorn and its workers -------------------------------------------------------------


def children(pid: int) -> list[int]:
    try:
        return sorted(
            int(child)
            for task in os.listdir(f"/proc/{pid}/task")
            for child in Path(f"/proc/{pid}/task/{task}/children").read_text().split()
        )
    except OSError:
        return []


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / MB
    except OSError:
        return None
    return None


def workers_rss(master: int) -> dict[int, float]:
    return {pid: mb for pid in children(master) if (mb := rss_mb(pid)) is not None}


TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids: list[int]) -> float:
    """CPU time (user and system) used so far by ``pids``."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICK


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, from /proc/stat."""
    ticks = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = ticks[3] + ticks[4]  # idle, iowait
    return (sum(ticks) - idle) / TICK, sum(ticks) / TICK


class Server:
    def __init__(self, env: dict[str, str], port: int, log: Path, probe: str) -> None:
        self.log = log
        self.access_log = log.with_name("access.log")
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "portal.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(WORKERS),
                "--access-logfile",
                str(self.access_log),
                "--access-logformat",
                "%({x-load-step}i)s|%(s)s|%(D)s",
            ],
            cwd=ROOT,
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{probe}", timeout=5):
                    break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"gunicorn did not start: see {log}") from None
                time.sleep(0.5)
        while len(children(self.process.pid)) < WORKERS:
            time.sleep(0.2)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def mark(self) -> int:
        """Where the access log ends now: what follows is the next phase's."""
        return self.access_log.stat().st_size if self.access_log.exists() else 0

    def server_times(self, since: int) -> dict[str, list[float]]:
        """The server's own time (ms, from accepting the request to the response) per action,
        from the access log after ``since``."""
        times: dict[str, list[float]] = {}
        with self.access_log.open("rb") as log:
            log.seek(since)
            for line in log.read().decode(errors="replace").splitlines():
                step, _, micros = line.rsplit("|", 2)
                if step == "-":  # not the benchmark's (the start-up probe)
                    continue
                action, ms = step.split(":")[0], int(micros) / 1000
                times.setdefault(action, []).append(ms)
                if action != "baseline":
                    times.setdefault("total", []).append(ms)
        return times

    def logged(self) -> dict[str, int]:
        text = self.log.read_text(errors="replace")
        return {
            "server errors logged": len(re.findall(r"Internal Server Error", text)),
            "tracebacks": text.count("Traceback (most recent call last)"),
            "worker timeouts": text.count("WORKER TIMEOUT"),
            "workers booted": text.count("Booting worker"),
        }


class Sampler(threading.Thread):
    """The workers' resident memory every ``every`` seconds while a phase runs."""

    def __init__(self, master: int, every: float) -> None:
        super().__init__(daemon=True)
        self.master, self.every = master, every
        self.samples: list[tuple[float, dict[int, float]]] = []
        self.done = threading.Event()
        self.workers = children(master)
        self.cpu = (cpu_seconds(self.workers), *machine_busy())

    def run(self) -> None:
        started = time.monotonic()
        while not self.done.wait(self.every):
            self.samples.append((time.monotonic() - started, workers_rss(self.master)))

    def stop(self) -> None:
        self.done.set()
        self.join()
        workers, busy, total = cpu_seconds(self.workers), *machine_busy()
        self.workers_cpu = workers - self.cpu[0]
        self.machine = (busy - self.cpu[1]) / (total - self.cpu[2])  # share of all cores


# --- locust ----------------------------------------------------------------------------


def locust(
    classes: tuple[str, ...],
    users: int,
    seconds: int,
    port: int,
    env: dict[str, str],
    name: str,
) -> dict:
    """Run locust headless for ``seconds``; the locustfile's own summary, and its CPU time."""
    results = WORK / f"{name}.json"
    results.unlink(missing_ok=True)
    command = [
        str(BIN / "locust"),
        "-f",
        str(HERE / "locustfile.py"),
        "--headless",
        "--only-summary",
        "--users",
        str(users),
        "--spawn-rate",
        str(max(1, users // 4)),
        "--run-time",
        f"{seconds}s",
        "--stop-timeout",
        "20",
        "--host",
        f"http://127.0.0.1:{port}",
        "--loglevel",
        "WARNING",
        "--exit-code-on-error",
        "0",
        *classes,
    ]
    with (WORK / f"{name}.log").open("w") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env={**env, "LOAD_RESULTS": str(results)}, stdout=log, stderr=log
        )
        _, status, usage = os.wait4(process.pid, 0)
    if not results.exists():
        raise SystemExit(f"locust wrote no results ({status}): see {WORK / f'{name}.log'}")
    summary = json.loads(results.read_text())
    summary["locust_cpu"] = usage.ru_utime + usage.ru_stime
    return summary


# --- the report ------------------------------------------------------------------------


def merge(*summaries: dict) -> dict:
    """One baseline from several runs: their latencies together, their rates averaged."""
    times = [t for s in summaries for t in s["actions"]["baseline"]["times"]]
    return {
        "requests": len(times),
        "p50": percentile(times, 50),
        "p99": percentile(times, 99),
        "rate": statistics.mean(s["actions"]["baseline"]["rate"] for s in summaries),
        "failures": sum(s["actions"]["baseline"]["failures"] for s in summaries),
        "server": percentile([t for s in summaries for t in s["server"].get("baseline", [])], 50),
    }


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def ratio(value: float, base: float) -> str:
    return f"{value / base:,.1f}×" if base else "-"


def report(
    args: argparse.Namespace,
    plan: dict,
    run: dict,
    baselines: tuple[dict, dict],
    rss: dict[str, dict[int, float]],
    sampler: Sampler,
    logged: dict[str, int],
    mails: int,
) -> None:
    base = merge(*baselines)
    print()
    portals = ", ".join(p["slug"] for p in plan["portals"])
    print(
        f"{args.seconds} s, {args.users} users ({args.users - FIXED_USERS} visitors, 3 members, "
        f"3 moderators), gunicorn {WORKERS} workers, production settings, PostgreSQL; "
        f"portals {portals}, --demo {args.scale}; load average at the start "
        f"{args.load_average:.1f}"
    )
    for label, summary in zip(("before", "after"), baselines, strict=True):
        b = summary["actions"]["baseline"]
        print(
            f"baseline {label}: {b['requests']:,} requests of {args.static} in "
            f"{args.baseline_seconds} s, p50 {b['p50']:.1f} ms, p99 {b['p99']:.1f} ms, "
            f"{b['rate']:.1f} req/s, {b['failures']} failures"
        )
    header = (
        f"{'action':13} {'requests':>8} {'failures':>8} {'429s':>5} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'server p50':>10} {'req/s':>6} {'p50/base':>9} {'p99/base':>9} {'req/s/base':>10}"
    )
    print()
    print(header)
    print("-" * len(header))
    rows = [*(a for a in ACTIONS if a in run["actions"]), "total"]
    for action in rows:
        a = run["actions"][action]
        rate_ratio = ratio(a["rate"], base["rate"]) if action == "total" else ""
        server = percentile(run["server"].get(action, []), 50)
        print(
            f"{action:13} {a['requests']:8,} {a['failures']:8,} {a['limited']:5,} "
            f"{a['p50']:8.1f} {a['p99']:8.1f} {server:10.1f} {a['rate']:6.2f} "
            f"{ratio(a['p50'], base['p50']):>9} {ratio(a['p99'], base['p99']):>9} "
            f"{rate_ratio:>10}"
        )
    print(
        f"{'baseline':13} {base['requests']:8,} {base['failures']:8,} {0:5} {base['p50']:8.1f} "
        f"{base['p99']:8.1f} {base['server']:10.1f} {base['rate']:6.2f} {'1.0×':>9} "
        f"{'1.0×':>9} {'1.0×':>10}"
    )
    if args.steps:
        print()
        print(f"{'step':44} {'requests':>9} {'failures':>9} {'p50 ms':>8} {'p99 ms':>8}")
        for step, s in sorted(run["steps"].items()):
            print(
                f"{step:44} {s['requests']:9,} {s['failures']:9,} {s['p50']:8.1f} {s['p99']:8.1f}"
            )
    total = run["actions"]["total"]
    print()
    print(
        f"errors: {total['failures']} (status codes {run['error_statuses'] or 'none'}), "
        f"429s: {total['limited']}; goal 0"
    )
    for error in run["errors"][:10]:
        print(f"  {error}")
    print(
        f"outcomes: {run['outcomes'] or 'none'}; emails written: {mails}; "
        f"server log: {', '.join(f'{k} {v}' for k, v in logged.items())}"
    )
    print(
        f"CPU in the scenario: gunicorn workers {sampler.workers_cpu:.0f} s "
        f"({sampler.workers_cpu / total['requests'] * 1000:.0f} ms per request), locust "
        f"{run['locust_cpu']:.0f} s; the machine's {os.cpu_count()} cores were "
        f"{sampler.machine:.0%} busy "
        f"(the rest of that is other work and PostgreSQL)"
    )
    print()
    pids = sorted({pid for phase in rss.values() for pid in phase})
    print("RSS per worker (MB):  " + "  ".join(f"{'pid ' + str(p):>10}" for p in pids))
    for phase, values in rss.items():
        print(
            f"  {phase:19}"
            + "  ".join(f"{values[p]:10.1f}" if p in values else f"{'-':>10}" for p in pids)
        )
    start, end = rss["scenario start"], rss["scenario end"]
    growth = "  ".join(
        f"{end[p] - start[p]:+10.1f}" if p in start and p in end else f"{'-':>10}" for p in pids
    )
    print(f"  {'growth':19}" + growth)
    if len(sampler.samples) >= 4:
        half = sampler.samples[len(sampler.samples) // 2 - 1][1]
        last = sampler.samples[-1][1]
        later = "  ".join(
            f"{last[p] - half[p]:+10.1f}" if p in half and p in last else f"{'-':>10}" for p in pids
        )
        print(f"  {'second half':19}" + later)
    if args.samples and sampler.samples:
        print()
        print(
            f"Every {args.sample_every:.0f} s: RSS per worker (MB), and the requests of the "
            f"{args.sample_every:.0f} s before"
        )
        windows = run["windows"]
        for index, (at, values) in enumerate(sampler.samples):
            line = "  ".join(f"{values.get(p, float('nan')):7.1f}" for p in pids)
            window = windows[index] if index < len(windows) else None
            extra = (
                f"   {window['requests']:6,} req, p50 {window['p50']:6.1f} ms, "
                f"p99 {window['p99']:7.1f} ms, {window['failures']} failures, "
                f"{window['limited']} 429s"
                if window
                else ""
            )
            print(f"  {at:6.0f} s  {line}{extra}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60, help="scenario length (default 60)")
    parser.add_argument("--users", type=int, default=24, help="users (default 24; 6 fixed)")
    parser.add_argument("--scale", type=int, default=400, help="demo listings per portal")
    parser.add_argument("--port", type=int, default=8150)
    parser.add_argument("--baseline-seconds", type=int, default=20)
    parser.add_argument("--warmup-seconds", type=int, default=20)
    parser.add_argument("--sample-every", type=float, default=10, help="RSS sampling (s)")
    parser.add_argument("--samples", action="store_true", help="print every RSS sample")
    parser.add_argument("--steps", action="store_true", help="print each step of each action")
    parser.add_argument("--fresh", action="store_true", help="launch the portals again")
    args = parser.parse_args()
    if args.users <= FIXED_USERS:
        parser.error(f"--users must be more than {FIXED_USERS} (3 members, 3 moderators)")

    WORK.mkdir(parents=True, exist_ok=True)
    server_url = postgres_url()
    prepare(server_url, args.scale, args.port, args.fresh)
    fresh_copy(server_url)
    env = environment(database_url(server_url, RUN_DB), args.port, args.scale)
    shutil.rmtree(WORK / "mail", ignore_errors=True)
    (WORK / "mail").mkdir()
    manage(env, "collectstatic", "--noinput", "--clear", "--verbosity", "0")
    args.static = static_file()
    plan_file = WORK / "plan.json"
    subprocess.run(
        [sys.executable, str(HERE / "plan.py"), str(plan_file)], cwd=ROOT, env=env, check=True
    )
    plan = json.loads(plan_file.read_text())
    env |= {
        "LOAD_PLAN": str(plan_file),
        "LOAD_STATIC": args.static,
        "LOAD_PASSWORD": PASSWORD,
        "LOAD_WINDOW": str(args.sample_every),
    }

    server = Server(env, args.port, WORK / "gunicorn.log", args.static)
    try:
        rss = {"boot": workers_rss(server.process.pid)}
        mark = server.mark()
        before = locust(("StaticFile",), args.users, args.baseline_seconds, args.port, env, "b1")
        before["server"] = server.server_times(mark)
        if args.warmup_seconds:
            locust(LOCUST_SCENARIO, args.users, args.warmup_seconds, args.port, env, "warmup")
        rss["scenario start"] = workers_rss(server.process.pid)
        args.load_average = os.getloadavg()[0]
        sampler = Sampler(server.process.pid, args.sample_every)
        mark = server.mark()
        sampler.start()
        run = locust(LOCUST_SCENARIO, args.users, args.seconds, args.port, env, "scenario")
        sampler.stop()
        run["server"] = server.server_times(mark)
        rss["scenario end"] = workers_rss(server.process.pid)
        mark = server.mark()
        after = locust(("StaticFile",), args.users, args.baseline_seconds, args.port, env, "b2")
        after["server"] = server.server_times(mark)
        rss["after baseline"] = workers_rss(server.process.pid)
    finally:
        server.stop()
    mails = len(list((WORK / "mail").iterdir()))
    report(args, plan, run, (before, after), rss, sampler, server.logged(), mails)


if __name__ == "__main__":
    main()
