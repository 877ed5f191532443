"""The load scenario (locust): what visitors, members and moderators of the portals do.

- ``Visitor`` (the users beyond the members and moderators): **browse** (home page, section
  indexes, their later pages and filters, listings, companies, news articles, other items),
  **search** (the search page with words and facet filters), **autocomplete** (the search
  box's suggestions as one types a word) and **inquiry** (a listing's page, a form start
  token from ``/market/form-token/``, the time a person takes to type, then the form with
  its CSRF token and the honeypot left empty, and the listing again with the outcome). Every
  few actions a visitor leaves and a new one arrives: new cookies, a new client address.
- ``Member`` (3, one per portal): signs in, then **post**: the posting form, the time to
  fill it, a sell offer or buy request with a title of its own, then the dashboard.
- ``Moderator`` (3, one per portal): signs in to the Wagtail admin, then **moderate**: the
  admin dashboard, *Approve* on the first listing awaiting review (as the dashboard's button
  posts it), then the dashboard again.
- ``StaticFile``: the baseline, one static file with the visitors' pauses.

Each request is named ``<action>: <step>``. The statistics the benchmark reports (exact
percentiles, 429s apart from other failures, windows of time) are written as JSON to
``LOAD_RESULTS`` when locust quits. ``LOAD_PLAN`` is what ``plan.py`` wrote.
"""

import itertools
import json
import os
import random
import re
import time
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from locust import FastHttpUser, between, events, task

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text()) if "LOAD_PLAN" in os.environ else {}
PORTALS = PLAN.get("portals", [])
PASSWORD = os.environ.get("LOAD_PASSWORD", "guildhall-demo")
STATIC = os.environ.get("LOAD_STATIC", "/static/")
# A person takes longer to fill a form than the product's minimum (FORM_MIN_FILL_SECONDS).
FILL_SECONDS = float(os.environ.get("LOAD_FILL_SECONDS", "3.5"))
WINDOW = float(os.environ.get("LOAD_WINDOW", "30"))
VISIT = (4, 12)  # actions of one visitor before the next one arrives

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STARTED = re.compile(r'name="started" value="([^"]+)"')
SELECT = re.compile(r'<select name="(\w+)"[^>]*>(.*?)</select>', re.S)
OPTION = re.compile(r'<option value="([^"]+)"')
APPROVE = re.compile(r'data-workflow-action-url="([^"]+/approve/\d+/)"\s*>')
ADMIN_CSRF = re.compile(r'"CSRF_TOKEN":\s*"([^"]+)"')

serial = itertools.count(1)
portal_turns = {"Member": itertools.count(), "Moderator": itertools.count()}


# --- statistics --------------------------------------------------------------------------

RECORDED: list[tuple[str, float, float, int, bool]] = []  # name, start, ms, status, failed
ERRORS: Counter = Counter()
OUTCOMES: Counter = Counter()


@events.request.add_listener
def record(name, response_time, response=None, exception=None, start_time=None, **_) -> None:
    status = getattr(response, "status_code", 0) or 0
    RECORDED.append((name, start_time or time.time(), response_time, status, bool(exception)))
    if exception and status != 429:
        ERRORS[f"{name}: {str(exception)[:160]}"] += 1


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))]


def figures(rows: list, seconds: float, keep_times: bool = False) -> dict:
    times = [ms for _, _, ms, _, _ in rows]
    result = {
        "requests": len(rows),
        "failures": sum(1 for *_, status, failed in rows if failed and status != 429),
        "limited": sum(1 for *_, status, _ in rows if status == 429),
        "p50": percentile(times, 50),
        "p99": percentile(times, 99),
        "rate": len(rows) / seconds if seconds else 0.0,
    }
    if keep_times:
        result["times"] = times
    return result


def summary() -> dict:
    if not RECORDED:
        return {"actions": {}, "steps": {}, "windows": [], "errors": [], "outcomes": {}}
    first = min(start for _, start, *_ in RECORDED)
    last = max(start + ms / 1000 for _, start, ms, *_ in RECORDED)
    seconds = last - first
    by_action, by_step = defaultdict(list), defaultdict(list)
    for row in RECORDED:
        by_action[row[0].split(":")[0]].append(row)
        by_step[row[0]].append(row)
    actions = {
        action: figures(rows, seconds, keep_times=action == "baseline")
        for action, rows in by_action.items()
    }
    actions["total"] = figures(RECORDED, seconds)
    windows = defaultdict(list)
    for row in RECORDED:
        windows[int((row[1] - first) // WINDOW * WINDOW)].append(row)
    statuses = Counter(status for *_, status, failed in RECORDED if failed)
    return {
        "seconds": seconds,
        "actions": actions,
        "steps": {step: figures(rows, seconds) for step, rows in by_step.items()},
        "windows": [{"start": s, **figures(rows, WINDOW)} for s, rows in sorted(windows.items())],
        "errors": [f"{count} × {text}" for text, count in ERRORS.most_common()],
        "error_statuses": dict(statuses),
        "outcomes": dict(OUTCOMES),
    }


@events.quitting.add_listener
def write_summary(**_) -> None:
    if "LOAD_RESULTS" in os.environ:
        Path(os.environ["LOAD_RESULTS"]).write_text(json.dumps(summary()))


# --- users -------------------------------------------------------------------------------


def new_address() -> str:
    return f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}"


class PortalUser(FastHttpUser):
    """A browser on one portal: its Host header, its cookies, its client address (as the
    trusted proxy in front of the site reports it)."""

    abstract = True
    portal: dict | None = None

    def on_start(self) -> None:
        self.portal = self.portal or random.choice(PORTALS)
        self.address = new_address()

    def call(
        self,
        step: str,
        path: str,
        data: dict | None = None,
        expect: tuple[int, ...] = (200,),
        headers: dict | None = None,
    ):
        """``GET`` (or ``POST`` ``data``) ``path``; a failure unless the status is expected."""
        headers = {
            "Host": self.portal["host"],
            "X-Forwarded-For": self.address,
            "X-Load-Step": step,  # for the server's access log (its own time per request)
            **(headers or {}),
        }
        if data is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{self.portal['host']}{path}"
        with self.client.request(
            "POST" if data is not None else "GET",
            path,
            name=step,
            data=urlencode(data, doseq=True) if data is not None else None,
            headers=headers,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code in expect:
                response.success()
            else:
                response.failure(f"{response.status_code} for {path}")
        return response

    def follow(self, step: str, response, expect: tuple[int, ...] = (200,)):
        """The page a redirect leads to, as the browser fetches it."""
        location = response.headers.get("Location") or response.headers.get("location") or ""
        target = urlsplit(location)
        path = target.path + (f"?{target.query}" if target.query else "")
        return self.call(step, path or "/", expect=expect)

    def sign_in(self, step: str, path: str, fields: dict) -> bool:
        page = self.call(step, path)
        token = CSRF.search(page.text or "")
        if not token:
            return False
        done = self.call(step, path, {**fields, "csrfmiddlewaretoken": token[1]}, expect=(302,))
        return done.status_code == 302


class Visitor(PortalUser):
    weight = 1
    wait_time = between(1, 3)

    def on_start(self) -> None:
        super().on_start()
        self.visit_left = random.randint(*VISIT)

    def arrive(self) -> None:
        """Every few actions, a new visitor: another portal, no cookies, another address."""
        self.visit_left -= 1
        if self.visit_left <= 0:
            self.client.cookiejar.clear()
            self.portal = random.choice(PORTALS)
            self.address = new_address()
            self.visit_left = random.randint(*VISIT)

    @task(12)
    def browse(self) -> None:
        self.arrive()
        sections = self.portal["sections"]
        what = random.choices(
            ["home", "section index", "later page", "filtered index", "item"], [2, 2, 2, 1, 7]
        )[0]
        if what == "home":
            self.call("browse: home", "/")
        elif what == "section index":
            self.call("browse: section index", random.choice(sections)["path"])
        elif what == "later page":
            paged = [s for s in sections if s["pages"] > 1] or sections
            section = random.choice(paged)
            page = random.randint(2, section["pages"]) if section["pages"] > 1 else 1
            self.call("browse: later page", section["path"] + (f"page/{page}/" if page > 1 else ""))
        elif what == "filtered index":
            section = random.choice([s for s in sections if s["filters"]] or sections)
            suffix, pages = random.choice(section["filters"] or [["", 1]])
            page = random.randint(1, pages)
            path = section["path"] + suffix + (f"page/{page}/" if page > 1 else "")
            self.call("browse: filtered index", path)
        else:
            kinds = self.portal["items"]
            weights = {"listing": 4, "company": 2, "news article": 2}
            kind = random.choices(list(kinds), [weights.get(k, 1) for k in kinds])[0]
            self.call(f"browse: {kind}", random.choice(kinds[kind]))

    @task(4)
    def search(self) -> None:
        self.arrive()
        facets = self.portal["search"]
        params: list[tuple[str, str]] = []
        shape = random.random()
        if shape < 0.85:
            params.append(("q", random.choice(facets["words"])))
        filters = 0 if shape < 0.3 else 1 if shape < 0.6 else 2
        for name in random.sample(["category", "region", "type", "kind", "price", "posted"], 2):
            if filters and facets[name]:
                params.append((name, random.choice(facets[name])))
                filters -= 1
        if random.random() < 0.15:
            params += [("sort", random.choice(facets["sort"])), ("page", "2")]
        self.call("search: results", "/search/?" + urlencode(params))

    @task(3)
    def autocomplete(self) -> None:
        """The search box asks for suggestions as a word is typed, letter by letter."""
        self.arrive()
        word = random.choice(self.portal["search"]["words"])
        for length in range(2, min(len(word), 5) + 1):
            query = urlencode({"q": word[:length]})
            self.call("autocomplete: suggest", f"/search/suggest/?{query}")
            time.sleep(random.uniform(0.1, 0.3))

    @task(1)
    def inquiry(self) -> None:
        self.arrive()
        pk, path = random.choice(self.portal["inquiry_listings"])
        page = self.call("inquiry: listing page", path)
        csrf = CSRF.search(page.text or "")
        token = self.call("inquiry: form token", "/market/form-token/")
        if not csrf or token.status_code != 200:
            OUTCOMES["inquiry: not sent (no form)"] += 1
            return
        time.sleep(FILL_SECONDS)
        n = next(serial)
        sent = self.call(
            "inquiry: send",
            f"/market/listings/{pk}/inquiry/",
            {
                "csrfmiddlewaretoken": csrf[1],
                "name": "Dana Example",
                "email": f"visitor{n}@example.com",
                "company": "Example Trading",
                "quantity": str(random.randint(10, 500)),
                "message": f"Could you send your best price and lead time for order {n}?",
                "website": "",
                "started": token.json()["started"],
            },
            expect=(302,),
        )
        if sent.status_code != 302:
            OUTCOMES[f"inquiry: refused ({sent.status_code})"] += 1
            return
        back = self.follow("inquiry: listing again", sent)
        said = "on its way" in (back.text or "")
        OUTCOMES["inquiry: sent" if said else "inquiry: sent, no confirmation shown"] += 1


class Member(PortalUser):
    """A demo member of one portal posting listings."""

    fixed_count = 3
    wait_time = between(5, 15)

    def on_start(self) -> None:
        turn = next(portal_turns["Member"])
        self.portal = PORTALS[turn % len(PORTALS)]
        super().on_start()
        members = self.portal["members"]
        self.email = members[(turn // len(PORTALS)) % len(members)]
        fields = {"login": self.email, "password": PASSWORD}
        self.signed_in = self.sign_in("post: sign in", "/accounts/login/", fields)

    @task
    def post(self) -> None:
        if not self.signed_in:
            return
        kind = random.choice(["sell", "buy"])
        form = self.call("post: form", f"/members/post/{kind}/")
        html = form.text or ""
        csrf, started = CSRF.search(html), STARTED.search(html)
        options = {name: OPTION.findall(body) for name, body in SELECT.findall(html)}
        if not (csrf and started and options.get("category") and options.get("region")):
            OUTCOMES["post: no form"] += 1
            return
        time.sleep(FILL_SECONDS)
        n = next(serial)
        quantity = random.randint(50, 5000)
        data = {
            "csrfmiddlewaretoken": csrf[1],
            "website": "",
            "started": started[1],
            "title": f"Lot {n}: {quantity} units {'on offer' if kind == 'sell' else 'wanted'}",
            "category": random.choice(options["category"]),
            "region": random.choice(options["region"]),
            "description": f"Lot {n}. Quantity {quantity}, standard packing, inspection possible.",
            "quantity": str(quantity),
            "unit": random.choice(options.get("unit") or [""]),
            "price_min": "500",
            "price_max": "550",
            "currency": random.choice(options.get("currency") or [""]),
            "incoterm": random.choice(options.get("incoterm") or [""]),
            "valid_until": "",
        }
        if kind == "sell":
            data |= {"moq": str(max(1, quantity // 10)), "specification": f"Grade {n % 7}"}
        else:
            data["required_by"] = (date.today() + timedelta(days=30)).isoformat()
        sent = self.call("post: send", f"/members/post/{kind}/", data, expect=(302,))
        if sent.status_code != 302:
            OUTCOMES[f"post: refused ({sent.status_code})"] += 1
            return
        self.follow("post: dashboard", sent)
        OUTCOMES["post: posted"] += 1


class Moderator(PortalUser):
    """A portal's moderator approving what waits in the admin dashboard."""

    fixed_count = 3
    wait_time = between(3, 8)

    def on_start(self) -> None:
        self.portal = PORTALS[next(portal_turns["Moderator"]) % len(PORTALS)]
        super().on_start()
        fields = {"username": self.portal["moderators"][0], "password": PASSWORD, "next": ""}
        self.signed_in = self.sign_in("moderate: sign in", "/admin/login/", fields)

    @task
    def moderate(self) -> None:
        if not self.signed_in:
            return
        dashboard = self.call("moderate: dashboard", "/admin/")
        html = dashboard.text or ""
        approve, csrf = APPROVE.search(html), ADMIN_CSRF.search(html)
        if not approve or not csrf:
            OUTCOMES["moderate: nothing awaiting review"] += 1
            return
        time.sleep(random.uniform(1, 3))  # reading the listing's title
        done = self.call(
            "moderate: approve",
            approve[1],
            {"csrfmiddlewaretoken": csrf[1], "next": "/admin/"},
            expect=(302,),
        )
        if done.status_code == 302:
            self.follow("moderate: dashboard", done)
            OUTCOMES["moderate: approved"] += 1


class StaticFile(PortalUser):
    """The baseline: a static file (WhiteNoise) through the same server, at the same pace."""

    weight = 1
    wait_time = between(1, 3)

    @task
    def fetch(self) -> None:
        self.call("baseline", STATIC)
