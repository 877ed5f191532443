"""Whatever a visitor sends, the answer is never a server error: property-based requests to
every public URL pattern, every page type and every public form (4xx, 3xx and 200 are fine).

Nothing here lists what to fuzz: URL patterns come from the URLconf (everything outside the
admins), page types from Wagtail with their routable sub-paths, and forms from the ``<form>``
elements of the rendered pages, so a new URL, page type or form is fuzzed without editing this
file (two checks name a few known ones, to show that the discovery works). Requests come from
anyone, a member and a signed-in person who is no member. Every example runs with an empty
cache (no rate-limit counters) in a savepoint that is rolled back (spent start tokens too).

``FUZZ_EXAMPLES`` sets the examples per test (default 15); ``FUZZ_RANDOM=1`` explores beyond
the fixed seed.
"""

import math
import os
import re
import string
import traceback
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RoutePattern
from hypothesis import HealthCheck, currently_in_test_context, given, note, settings
from hypothesis import strategies as st
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import get_page_models

from .conftest import DOMAIN, host

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "15"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not os.environ.get("FUZZ_RANDOM"),
    database=None,
    print_blob=False,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # each example rolls its own changes back
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
        HealthCheck.large_base_example,
    ],
)
NOT_PUBLIC = ("admin/", "django-admin/")  # the Wagtail admin, and Django's should it appear
PORTAL = host("steel")
HOSTS = (PORTAL, host("textiles"), DOMAIN)
ODD_HOSTS = ("unknown.example", "steel.localhost:8000.", "[::1]:8000", "a b", "x" * 300)
STATIC_ORIGIN = "http://steel.localhost:8001"

# Values no converter expects: out-of-range numbers, control characters, other scripts,
# relative paths, very long text, markup, header injection.
ODD_VALUES = (
    "0",
    "-1",
    "9223372036854775807",
    "9223372036854775808",
    "18446744073709551616",
    "9" * 40,
    "1e999",
    "NaN",
    "",
    " ",
    ".",
    "..",
    "../../etc/passwd",
    "\x00",
    "a\x00b",
    "\x7f\x1b[2J",
    "\r\nSet-Cookie: x=1",
    "\u0085\u2028\u202e",
    "日本語",
    "😀" * 20,
    "ß" * 300,
    "a" * 3000,
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%",
    "%s%n",
    "{{ 7*7 }}",
)
# Already percent-encoded: bytes that are not UTF-8, encoded dots and NULs.
RAW_ESCAPES = ("%FF", "%C0%AF", "%E2%82", "%2e%2e", "%00", "%25", "%ZZ")
PLAIN = string.ascii_letters + string.digits + " -,.()"


# What to send -----------------------------------------------------------------------------


odd_text = st.one_of(st.sampled_from(ODD_VALUES), st.text(max_size=40))
plain_text = st.text(PLAIN, min_size=1, max_size=30).map(str.strip).filter(bool)


def segment(*values: st.SearchStrategy[str], safe: str = "") -> st.SearchStrategy[str]:
    """A path segment from one of ``values`` (percent-encoded), or something no pattern
    expects."""
    return st.one_of(
        *(strategy.map(lambda value: quote(value, safe=safe)) for strategy in values),
        odd_text.map(lambda value: quote(value, safe="")),
        st.sampled_from(RAW_ESCAPES),
    )


def pairs(names: st.SearchStrategy[str], max_size: int = 6) -> st.SearchStrategy[list]:
    """Parameters as a browser or a script might send them: known names and others, repeated
    keys, empty values, odd values."""
    key = st.one_of(names, st.text(max_size=12))
    value = st.one_of(st.just(""), plain_text, odd_text)
    return st.lists(st.tuples(key, value), max_size=max_size)


def query_strings(names: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.just(""),
        pairs(names).map(urlencode),
        st.text(max_size=40).map(lambda text: quote(text, safe="=&%+;")),
    )


@st.composite
def headers(draw) -> dict[str, str]:
    """Who sends it: any address (so rate limits are per example), what they accept, and
    sometimes the origin of a static copy or an unknown one, or cookies of its own."""
    meta = {"REMOTE_ADDR": str(draw(st.ip_addresses()))}
    meta["HTTP_ACCEPT"] = draw(
        st.sampled_from(["text/html", "application/json", "*/*", "application/json, */*", "x"])
    )
    origin = draw(st.sampled_from([None, None, STATIC_ORIGIN, "http://evil.example", "null"]))
    if origin:
        meta["HTTP_ORIGIN"] = origin
    if draw(st.booleans()):
        meta["HTTP_X_FORWARDED_FOR"] = draw(st.text(string.printable, max_size=40))
    cookies = ["sessionid=x", "csrftoken=%00", "messages=W10:1x:y", "sessionid=" + "9" * 300]
    cookie = draw(st.sampled_from([None, None, None, *cookies]))
    if cookie:
        meta["HTTP_COOKIE"] = cookie
    return meta


@st.composite
def bodies(draw, names: st.SearchStrategy[str]) -> dict[str, Any]:
    """A POST body: form-encoded or multipart parameters, or bytes of any content type."""
    kind = draw(st.sampled_from(["urlencoded", "multipart", "raw"]))
    data = draw(pairs(names))
    if kind == "urlencoded":
        return {"data": urlencode(data), "content_type": "application/x-www-form-urlencoded"}
    if kind == "multipart":
        grouped: dict[str, list[str]] = {}
        for key, value in data:
            grouped.setdefault(key, []).append(value)
        return {"data": grouped}
    content_type = draw(
        st.sampled_from(["application/json", "text/plain", "multipart/form-data", "x/y"])
    )
    return {"data": draw(st.binary(max_size=200)), "content_type": content_type}


# Where to send it: the URLconf and the page tree ------------------------------------------


@dataclass(frozen=True)
class Regex:
    """A regular-expression part of a URL pattern (``re_path``)."""

    regex: str


PATH_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def pattern_parts(pattern) -> tuple:
    """A URL pattern as literal text, converters and regular expressions, in order."""
    if isinstance(pattern, RoutePattern):
        route, parts, end = str(pattern._route), [], 0
        for match in PATH_PARAMETER.finditer(route):
            parts += [route[end : match.start()], pattern.converters[match["name"]]]
            end = match.end()
        parts.append(route[end:])
        return tuple(part for part in parts if part != "")
    regex = str(pattern._regex).removeprefix("^").removesuffix("$").removesuffix(r"\Z")
    return (Regex(regex),) if regex else ()


@dataclass(frozen=True)
class Route:
    parts: tuple
    name: str | None = field(compare=False)

    def __str__(self) -> str:
        return "".join(
            part
            if isinstance(part, str)
            else (part.regex if isinstance(part, Regex) else f"<{type(part).__name__}>")
            for part in self.parts
        )


def walk(patterns, prefix: tuple = ()) -> list[Route]:
    """Every endpoint below ``patterns``, through every ``include()``."""
    routes = []
    for entry in patterns:
        parts = prefix + pattern_parts(entry.pattern)
        if isinstance(entry, URLResolver):
            routes += walk(entry.url_patterns, parts)
        elif isinstance(entry, URLPattern):
            routes.append(Route(parts, entry.name))
    return routes


def is_public(route: Route) -> bool:
    return not str(route).startswith(NOT_PUBLIC)


PUBLIC_ROUTES = [route for route in walk(get_resolver().url_patterns) if is_public(route)]
PAGE_MODELS = [model for model in get_page_models() if model.is_creatable]  # not abstract ones


def takes_ints(converter) -> bool:
    try:
        return isinstance(converter.to_python("1"), int)
    except Exception:
        return False


@dataclass
class Vocabulary:
    """Real values to mix into the generated ones, so requests also reach past the lookups:
    ids and slugs that exist, and the parameter names the views read."""

    ids: list[str]
    slugs: list[str]
    params: list[str]

    def values_for(self, part) -> st.SearchStrategy[str]:
        if isinstance(part, Regex):
            return segment(st.from_regex(part.regex, fullmatch=True), safe="/")
        generated = st.from_regex(part.regex, fullmatch=True)
        if takes_ints(part):  # ids that exist, and numbers no database column holds
            huge = st.integers(min_value=2**63 - 2, max_value=2**80).map(str)
            return segment(generated, st.sampled_from(self.ids), huge)
        return segment(generated, st.sampled_from(self.slugs))

    def real(self, part) -> str:
        """A value that exists, for a parameter that is not the one under test."""
        regex = re.compile(part.regex)
        return next((v for v in self.ids + self.slugs if regex.fullmatch(v)), "1")

    def path(self, parts: tuple) -> st.SearchStrategy[str]:
        return st.tuples(
            *(st.just(part) if isinstance(part, str) else self.values_for(part) for part in parts)
        ).map("".join)


def parameter_names_in_source() -> set[str]:
    """Names the project's views read from query strings and forms."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    found = set()
    reads = re.compile(
        r"""(?:GET|POST|params)\.(?:get|getlist)\(\s*["'](\w+)["']|many\(\s*["'](\w+)"""
    )
    for folder in ("portal", "search"):
        for dirpath, _, files in os.walk(os.path.join(root, folder)):
            for name in files:
                if name.endswith(".py"):
                    with open(os.path.join(dirpath, name), encoding="utf-8") as source:
                        for match in reads.finditer(source.read()):
                            found.add(match[1] or match[2])
    return found


def parameter_names_in_page(html: str) -> set[str]:
    """Names in a page's links and GET forms (a search page's facets, sorting, pages)."""
    soup = BeautifulSoup(html, "html.parser")
    names = {
        key
        for a in soup.find_all("a", href=True)
        for key, _ in parse_qsl(urlsplit(a["href"]).query)
    }
    for form in soup.find_all("form"):
        if (form.get("method") or "get").lower() == "get":
            names |= {tag["name"] for tag in form.find_all(["input", "select"]) if tag.get("name")}
    return names


_vocabulary: list[Vocabulary] = []


def vocabulary() -> Vocabulary:
    """Read once per run (every test sees the same launched portals)."""
    if not _vocabulary:
        from django.apps import apps
        from wagtail.documents.models import Document

        from portal.core.models import Category, Region

        ids, slugs = [], []
        for model in PAGE_MODELS:
            pages = model.objects.live().exact_type(model).order_by("-pk")
            ids += [str(pk) for pk in pages.values_list("pk", flat=True)[:3]]
            slugs += list(pages.values_list("slug", flat=True)[:3])
        for label in ("board.Quote", "board.Inquiry"):
            ids += [
                str(pk) for pk in apps.get_model(label).objects.values_list("pk", flat=True)[:3]
            ]
        ids += [str(pk) for pk in Document.objects.values_list("pk", flat=True)[:3]]
        slugs += list(Category.objects.values_list("slug", flat=True)[:10])
        slugs += list(Region.objects.values_list("code", flat=True)[:5])
        slugs += ["sell", "buy"]
        search = Client().get("/search/", {"q": "steel"}, HTTP_HOST=PORTAL)
        params = parameter_names_in_source() | parameter_names_in_page(search.content.decode())
        _vocabulary.append(Vocabulary(ids or ["1"], sorted(set(slugs)), sorted(params)))
    return _vocabulary[0]


# Sending it ----------------------------------------------------------------------------


@contextmanager
def example_scope():
    """One example: no rate-limit counters from earlier ones, and no database changes (spent
    start tokens included) left behind."""
    cache.clear()
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@dataclass
class Visitors:
    """Who sends requests: anyone, a member of the steel portal, and a signed-in person who
    is no member of it (the join form)."""

    users: dict

    def client(self, who: str, **kwargs) -> Client:
        client = Client(**kwargs)
        if self.users.get(who) is not None:
            client.force_login(self.users[who])
        return client


@pytest.fixture
def visitors(steel, make_member, settings) -> Visitors:
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    settings.STATIC_SITE_ORIGINS = ["http://*.localhost:8001"]
    member = make_member(steel, "fuzz-member")
    person = get_user_model().objects.create_user("fuzz-person", "person@fuzz.test", "pw-12345")
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    return Visitors({"anyone": None, "member": member.user, "person": person})


def answer(client: Client, method: str, url: str, host_name: str, meta: dict, body: dict):
    """Send one request; read a streamed body too (an error may surface only then)."""
    extra = {"HTTP_HOST": host_name, **meta}
    if method == "POST":
        response = client.post(url, **body, **extra)
    else:
        response = getattr(client, method.lower())(url, **extra)
    if response.streaming:
        b"".join(response.streaming_content)
    if currently_in_test_context():
        note(f"{method} {url} (Host: {host_name}) -> {response.status_code}")
    return response


def send_anything(data, visitors: Visitors, path: st.SearchStrategy[str]) -> None:
    """A GET (or HEAD) and a POST to one URL: a view refuses the method it does not take at
    once, so trying both costs little and reaches every view."""
    words = vocabulary()
    names = st.sampled_from(words.params)
    url = data.draw(path, label="path")
    query = data.draw(query_strings(names), label="query")
    method = data.draw(st.sampled_from(["GET", "HEAD"]), label="method")
    body = data.draw(bodies(names), label="body")
    who = data.draw(st.sampled_from(list(visitors.users)), label="who")
    hosts = st.one_of(st.just(PORTAL), st.sampled_from(HOSTS[1:] + ODD_HOSTS))
    host_name = data.draw(hosts, label="host")
    meta = data.draw(headers(), label="headers")
    url = "/" + url.lstrip("/") + (f"?{query}" if query else "")
    for verb, payload in [(method, {}), ("POST", body)]:
        with example_scope():
            response = answer(visitors.client(who), verb, url, host_name, meta, payload)
            assert response.status_code < 500, f"{verb} {url} answered {response.status_code}"


# URLs and pages ----------------------------------------------------------------------------


def test_every_public_url_pattern_is_fuzzed():
    """The discovery itself: every public part of the URLconf, nothing of the admin."""
    patterns = {str(route) for route in PUBLIC_ROUTES}
    assert {"search/", "market/listings/<IdConverter>/inquiry/", "accounts/signup/"} <= patterns
    assert "members/post/<SlugConverter>/" in patterns
    assert not [p for p in patterns if p.startswith("admin/")]
    assert "wagtail_serve" in {route.name for route in PUBLIC_ROUTES}  # and so every page


@pytest.mark.parametrize("route", PUBLIC_ROUTES, ids=str)
@FUZZ
@given(data=st.data())
def test_url_patterns_never_answer_5xx(route, data, visitors):
    send_anything(data, visitors, vocabulary().path(route.parts))


EDGE_VALUES = ("9223372036854775808", "9" * 40, "-1", "\x00", "..", "ü" * 500)


@pytest.mark.parametrize(
    "route", [r for r in PUBLIC_ROUTES if any(not isinstance(p, str) for p in r.parts)], ids=str
)
def test_every_url_parameter_takes_edge_values(route, visitors):
    """Each parameter in turn a number too big for any database, a NUL, a relative path...,
    the others real values; sent by a member (the most any visitor may reach)."""
    words = vocabulary()
    client = visitors.client("member")
    for slot, part in enumerate(route.parts):
        for value in EDGE_VALUES if not isinstance(part, str) else ():
            url = "/" + "".join(
                quote(value, safe="")
                if index == slot
                else (other if isinstance(other, str) else quote(words.real(other), safe="/"))
                for index, other in enumerate(route.parts)
            )
            for method in ("GET", "POST"):
                with example_scope():
                    response = answer(client, method, url, PORTAL, {}, {"data": {}})
                    assert response.status_code < 500, f"{method} {url}: {response.status_code}"


def subpaths(model) -> list[tuple]:
    """What a page of ``model`` serves below its URL: its routable sub-paths, or anything."""
    anything = (Regex(r"(?:[\w\-.~%]+/)*"),)
    if issubclass(model, RoutablePageMixin):
        return [pattern_parts(p.pattern) for p in model.get_subpage_urls()] + [anything]
    return [(), anything]


@pytest.mark.parametrize("model", PAGE_MODELS, ids=lambda model: model._meta.label)
@FUZZ
@given(data=st.data())
def test_pages_and_their_subpaths_never_answer_5xx(model, data, visitors):
    pages = list(model.objects.live().exact_type(model).order_by("-pk")[:3])
    urls = [page.get_url_parts() for page in pages]
    urls = [(urlsplit(root).netloc, path) for _, root, path in filter(None, urls)]
    if not urls:
        pytest.skip(f"no live {model._meta.label} in the demo portals")
    host_name, page_path = data.draw(st.sampled_from(urls), label="page")
    words = vocabulary()
    tail = data.draw(st.sampled_from(subpaths(model)).flatmap(words.path), label="subpath")
    query = data.draw(query_strings(st.sampled_from(words.params)), label="query")
    method = data.draw(st.sampled_from(["GET", "HEAD", "POST"]), label="method")
    who = data.draw(st.sampled_from(list(visitors.users)), label="who")
    meta = data.draw(headers(), label="headers")
    url = page_path + tail + (f"?{query}" if query else "")
    with example_scope():
        response = answer(visitors.client(who), method, url, host_name, meta, {})
        assert response.status_code < 500, f"{method} {url} answered {response.status_code}"


# Forms ---------------------------------------------------------------------------------


@dataclass
class Field:
    name: str
    kind: str  # an input's type, "select", "textarea" or "submit"
    value: str = ""
    options: tuple = ()
    multiple: bool = False
    attrs: dict = field(default_factory=dict)


@dataclass
class Form:
    """A ``<form>`` as a browser sees it: where it posts, its fields, and who was shown it."""

    who: str
    page: str
    method: str
    action: str
    multipart: bool
    fields: list[Field]
    csrf_cookie: str | None

    @property
    def key(self) -> tuple:
        try:
            route = resolve(urlsplit(self.action).path).route
        except Resolver404:
            route = self.action
        return (self.method, route, tuple(sorted(f.name for f in self.fields)))

    def __str__(self) -> str:
        names = ", ".join(sorted({f.name for f in self.fields}))
        return f"{self.method} {self.action} ({names}) as {self.who}, from {self.page}"

    def named(self, suffix: str) -> Field | None:
        return next((f for f in self.fields if f.name.split("-")[-1] == suffix), None)


def url_name(url: str) -> str | None:
    try:
        return resolve(urlsplit(url).path).url_name
    except Resolver404:
        return None


def read_forms(html: str, page: str, who: str, csrf_cookie: str | None) -> list[Form]:
    soup = BeautifulSoup(html, "html.parser")
    forms = []
    for tag in soup.find_all("form"):
        action = urlsplit(tag.get("action") or page)
        if action.netloc and action.netloc not in HOSTS:
            continue
        fields = []
        for element in tag.find_all(["input", "select", "textarea", "button"]):
            name = element.get("name")
            if not name:
                continue
            attrs = {k: element.get(k) for k in ("min", "max", "maxlength")}
            if element.name == "select":
                options = tuple(o.get("value", o.get_text()) for o in element.find_all("option"))
                multiple = element.has_attr("multiple")
                fields.append(Field(name, "select", "", options, multiple, attrs))
            elif element.name == "textarea":
                fields.append(Field(name, "textarea", element.get_text(), attrs=attrs))
            elif element.name == "button" or element.get("type") in ("submit", "image"):
                fields.append(Field(name, "submit", element.get("value", "")))
            else:
                kind = (element.get("type") or "text").lower()
                fields.append(Field(name, kind, element.get("value", ""), attrs=attrs))
        forms.append(
            Form(
                who=who,
                page=page,
                method=(tag.get("method") or "get").upper(),
                action=action.path + (f"?{action.query}" if action.query else ""),
                multipart="multipart" in (tag.get("enctype") or ""),
                fields=fields,
                csrf_cookie=csrf_cookie,
            )
        )
    return forms


def discover_forms(visitors: Visitors) -> list[Form]:
    """Every form on the pages a visitor reaches: a few live pages of every page type, every
    URL pattern without parameters, and what those pages link to outside the page tree (a few
    links per URL pattern), for each kind of visitor. One form per target and set of fields,
    sent by the first visitor shown it."""
    from portal.core.models import PortalHomePage

    steel = PortalHomePage.objects.get(industry_slug="steel")
    seeds = []
    for model in PAGE_MODELS:
        pages = model.objects.live().exact_type(model).descendant_of(steel, inclusive=True)
        seeds += [page.url for page in pages.order_by("-pk")[:2] if page.url]
    seeds += [
        "/" + str(route) for route in PUBLIC_ROUTES if all(isinstance(p, str) for p in route.parts)
    ]
    found: dict[tuple, Form] = {}
    for who in visitors.users:
        client = visitors.client(who)
        queue, links_per_route, seen = list(seeds), Counter(), set()
        while queue:
            url = queue.pop(0)
            if url in seen:
                continue
            seen.add(url)
            response = client.get(url, HTTP_HOST=PORTAL)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            html = response.content.decode()
            cookie = client.cookies.get("csrftoken")
            for form in read_forms(html, url, who, cookie.value if cookie else None):
                found.setdefault(form.key, form)
            for link in BeautifulSoup(html, "html.parser").find_all("a", href=True):
                target = urlsplit(link["href"])
                if target.netloc and target.netloc != PORTAL:
                    continue
                try:
                    match = resolve(target.path)
                except Resolver404:
                    continue
                if match.url_name != "wagtail_serve" and links_per_route[match.route] < 3:
                    links_per_route[match.route] += 1
                    queue.append(target.path)
    return list(found.values())


TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


def plausible(f: Field) -> st.SearchStrategy:
    """What a person would type or pick."""
    low, high = f.attrs.get("min"), f.attrs.get("max")
    limit = int(f.attrs["maxlength"]) if (f.attrs.get("maxlength") or "").isdigit() else 30
    if f.kind in ("hidden", "submit"):
        return st.just(f.value)
    if f.kind == "select":
        choices = [o for o in f.options if o] or [""]
        if f.multiple:
            return st.lists(st.sampled_from(choices), max_size=3, unique=True)
        return st.sampled_from(choices)
    if f.kind in ("checkbox", "radio"):
        return st.sampled_from([f.value or "on", None])
    if f.kind == "email":
        simple = st.from_regex(r"[a-z0-9.]{1,12}@[a-z]{2,10}\.(com|org|cn)", fullmatch=True)
        return st.one_of(simple, st.emails().filter(lambda e: len(e) <= 254))
    if f.kind == "number":
        lowest = math.ceil(float(low)) if low else 0
        highest = math.floor(float(high)) if high else lowest + 10_000
        return st.integers(lowest, max(lowest, highest)).map(str)
    if f.kind == "date":
        return st.dates(date.today(), date.today() + timedelta(days=20)).map(date.isoformat)
    if f.kind == "file":
        return st.builds(lambda: SimpleUploadedFile("photo.png", TINY_PNG, "image/png"))
    if f.kind == "textarea":
        return st.lists(plain_text, min_size=1, max_size=3).map("\n".join)
    if f.kind == "url":
        return st.just("https://example.com/catalogue")
    return st.text(PLAIN, min_size=1, max_size=max(1, min(limit, 30))).map(str.strip).filter(bool)


def adversarial(f: Field) -> st.SearchStrategy:
    """What a script or a confused person might send instead."""
    odd = st.one_of(odd_text, st.sampled_from(["9" * 25, "-9" * 10, "1e309", "Infinity"]))
    if f.kind == "select":
        odd = st.one_of(odd, st.lists(st.sampled_from([*f.options, "x"]), max_size=4))
    if f.kind == "date":
        odd = st.one_of(odd, st.sampled_from(["0000-00-00", "2023-02-30", "99999-01-01", "1-1-1"]))
    if f.kind == "file":
        damaged = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
        odd = st.one_of(
            st.binary(max_size=300).map(lambda b: SimpleUploadedFile("x.png", b, "image/png")),
            st.builds(lambda: SimpleUploadedFile("damaged.jpg", damaged, "image/jpeg")),
            st.builds(lambda: SimpleUploadedFile("../" * 20 + "a" * 300, b"", "")),
        )
    return odd


@st.composite
def filled(draw, form: Form) -> tuple[list, str]:
    """The form's fields as a careful person fills them in (plausible values, the same password
    in every password box), or sloppily (some values odd, some left out, some added); sent
    through a browser, or with the honeypot filled, the start token sent twice or stale, or no
    CSRF token."""
    names = [f.name for f in form.fields if f.kind != "submit"]
    modes = ["browser", "honeypot", "reused token", "stale token", "no csrf"]
    mode = draw(st.sampled_from(modes), label="mode")
    odd, missing, extra = set(), set(), []
    if names and draw(st.booleans(), label="sloppy"):
        odd = draw(st.sets(st.sampled_from(names), max_size=3), label="odd")
        missing = draw(st.sets(st.sampled_from(names), max_size=2), label="missing")
        others = [name for name in names if name != "csrfmiddlewaretoken"] or ["x"]
        extra = draw(pairs(st.sampled_from(others), max_size=3), label="extra")
    buttons = [f for f in form.fields if f.kind == "submit"]
    button = draw(st.sampled_from(buttons)) if buttons else None
    password = draw(st.text(string.ascii_letters + string.digits, min_size=10, max_size=20))
    honeypot, started = form.named("website"), form.named("started")
    values = []
    for f in form.fields:
        if f.kind == "submit" and f is not button:
            continue
        if f is honeypot:
            value = draw(plain_text) if mode == "honeypot" else ""
        elif f is started and mode == "stale token":
            value = draw(st.sampled_from(["", "x", f.value[:-3] + "abc", f.value + ":" * 3]))
        elif f.name == "csrfmiddlewaretoken":
            if mode == "no csrf":
                continue
            value = f.value
        elif f.name in missing:
            continue
        elif f.name in odd:
            value = draw(adversarial(f))
        else:
            value = password if f.kind == "password" else draw(plausible(f))
        for each in value if isinstance(value, list) else [value]:
            if each is not None:
                values.append((f.name, each))
    return values + extra, mode


def as_shown(form: Form, **changes: str) -> list:
    """What a browser sends for the form untouched (its hidden values, first options...)."""
    values = []
    for f in form.fields:
        if f.kind in ("submit", "checkbox", "radio", "file"):
            continue
        value = f.value or (f.options[0] if f.options else "")
        values.append((f.name, changes.get(f.name.split("-")[-1], value)))
    return values


def submit(client: Client, form: Form, values: list, meta: dict):
    if form.method == "GET":
        query = urlencode([(k, v) for k, v in values if isinstance(v, str)])
        separator = "&" if "?" in form.action else "?"
        return answer(client, "GET", form.action + separator + query, PORTAL, meta, {})
    if form.multipart or any(not isinstance(v, str) for _, v in values):
        grouped: dict[str, list] = {}
        for key, value in values:
            grouped.setdefault(key, []).append(value)
        body: dict[str, Any] = {"data": grouped}
    else:
        body = {"data": urlencode(values), "content_type": "application/x-www-form-urlencoded"}
    return answer(client, "POST", form.action, PORTAL, meta, body)


def fuzz_form(form: Form, visitors: Visitors, statuses: list[int]) -> None:
    def send(values: list, meta: dict, times: int = 1) -> None:
        with example_scope():
            client = visitors.client(form.who, enforce_csrf_checks=True)
            if form.csrf_cookie:
                client.cookies["csrftoken"] = form.csrf_cookie
            for _ in range(times):
                response = submit(client, form, values, meta)
                statuses.append(response.status_code)
                assert response.status_code < 500, f"{form} answered {response.status_code}"

    @FUZZ
    @given(filling=filled(form), meta=headers())
    def run(filling, meta):
        values, mode = filling
        # A browser on this site, with its own cookies.
        meta = {k: v for k, v in meta.items() if k not in ("HTTP_ORIGIN", "HTTP_COOKIE")}
        send(values, meta, times=2 if mode == "reused token" else 1)

    run()
    # Whatever the examples were: the form as shown, sent twice, and with the honeypot filled.
    browser = {"REMOTE_ADDR": "203.0.113.9", "HTTP_ACCEPT": "text/html"}
    send(as_shown(form), browser, times=2)
    send(as_shown(form, website="http://spam.example"), browser)


def test_public_forms_never_answer_5xx(visitors, steel, site_of):
    from .test_board import post_offer

    # A listing awaiting moderation: the member's dashboard links its edit form.
    client = visitors.client("member")
    assert post_offer(client, steel, site_of, title="Fuzzed rebar").status_code == 302
    forms = discover_forms(visitors)
    targets = {(form.who, url_name(form.action)) for form in forms}
    # The discovery finds the forms it must (and so, presumably, any new one).
    for expected in [
        ("anyone", "inquiry"),
        ("anyone", "account_signup"),
        ("anyone", "account_login"),
        ("anyone", "search"),
        ("member", "quote"),
        ("member", "post"),
        ("member", "edit"),
        ("member", "alerts"),
        ("person", "join"),
    ]:
        assert expected in targets, f"no form found for {expected}"
    failures = []
    for form in forms:
        statuses: list[int] = []
        try:
            fuzz_form(form, visitors, statuses)
        except Exception as error:  # report every form that fails, not only the first
            failures.append(f"{form}:\n{''.join(traceback.format_exception(error)[-40:])}")
            continue
        # Not every answer was a refusal for CSRF or rate limits: the form itself was reached.
        assert set(statuses) - {403, 429}, f"{form} never got past CSRF or rate limits"
    assert not failures, "\n\n".join(failures)
