"""How a page knows it is being rendered for the static export, and links back to the live site.

The exporter marks its requests; templates then point dynamic features (forms that post,
sign-in, the member area) at the live site through ``live_url``. Those links carry a
placeholder prefix that the exporter swaps for the live site's address after rendering, so
they survive the rewrite of the portal's own address to the static one.

Links are reversed through :func:`reverse`, which remembers Django's answers per process.
"""

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from typing import Any, TypeVar

from django.http import HttpRequest
from django.test.signals import setting_changed
from django.urls import URLResolver, get_resolver, get_script_prefix, get_urlconf
from django.urls import reverse as django_reverse
from django.urls.resolvers import LocalePrefixPattern
from django.utils.functional import Promise
from django.utils.translation import get_language

STATIC_EXPORT_ATTR = "static_export"
LIVE_PREFIX = "guildhall-live:"
T = TypeVar("T")


class ExportMemo:
    """What every page of one build shows alike (the menu, a section's breadcrumbs), looked
    up once per build process instead of once per page. Set as the requests' export mark."""

    def __init__(self, bulk: bool = True) -> None:
        self.values: dict[Any, Any] = {}
        self.asked: dict[Any, int] = {}  # see ``per_build``
        # Rendering many pages: worth making a lookup once for all of them (``per_build``)
        # rather than querying per page. A small incremental build queries per page.
        self.bulk = bulk
        # Fragments carried from build to build (see ``kept_fragment``): what each page a
        # fragment shows is made of, by page id; fragments earlier builds made, and those
        # this process made since they were last taken (``take_made``), by name.
        self.stamps: dict[int, str] = {}
        self.carried: dict[str, str] = {}
        self.made: dict[str, str] = {}

    def get(self, key: Any, compute: Callable[[], T]) -> T:
        if key not in self.values:
            self.values[key] = compute()
        return self.values[key]

    def take_made(self) -> dict[str, str]:
        made, self.made = self.made, {}
        return made


def _memo(request: HttpRequest | None) -> ExportMemo | None:
    memo = getattr(request, STATIC_EXPORT_ATTR, None) if request is not None else None
    return memo if isinstance(memo, ExportMemo) else None


def remembered(request: HttpRequest | None, key: Any, compute: Callable[[], T]) -> T:
    """``compute()``, kept for the rest of the build when ``request`` is an export's."""
    memo = _memo(request)
    return memo.get(key, compute) if memo is not None else compute()


def kept_fragment(
    request: HttpRequest | None, key: tuple, pk: int, compute: Callable[[], Any]
) -> Any:
    """``compute()``, a fragment that shows only the page ``pk`` (a card), rendered once per
    static build under ``key``, and carried to later builds while what the page is made of
    stays the same (its stamp in ``ExportMemo.stamps``): a build after one change finds the
    cards of the lists it renders again made. Carried fragments come back as ``str``."""
    memo = _memo(request)
    if memo is None:
        return compute()
    stamp = memo.stamps.get(pk)
    if stamp is None:
        return memo.get(key, compute)

    def carried() -> Any:
        name = fragment_name(key, stamp)
        html = memo.carried.get(name)
        if html is not None:
            return html
        fragment = compute()
        memo.made[name] = str(fragment)
        return fragment

    return memo.get(key, carried)


BLANK_FORM_ATTR = "blank_for_build"


def blank_form(request: HttpRequest | None, form_class: Callable[..., T], **kwargs: Any) -> T:
    """``form_class(**kwargs)``, unbound, as every page of a portal shows it (``kwargs`` say
    nothing of the page). A static build makes it once, marked so that its fields are rendered
    once for all pages too (``themes.environment.kept_fields``); other requests make their own."""
    if not is_static(request):
        return form_class(**kwargs)

    def make() -> T:
        form = form_class(**kwargs)
        setattr(form, BLANK_FORM_ATTR, True)
        return form

    return remembered(request, ("blank-form", form_class), make)


def carries_fragments(request: HttpRequest | None) -> bool:
    """Whether ``request`` is a static build's that has fragments of earlier builds."""
    memo = _memo(request)
    return memo is not None and bool(memo.carried)


def fragment_name(key: tuple, stamp: str) -> str:
    return hashlib.blake2b(f"{key!r}\x1f{stamp}".encode(), digest_size=16).hexdigest()


GROUP_AFTER = 20  # pages of a bulk build asking one lookup before it is made for all pages


def per_build(
    request: HttpRequest | None, key: Any, every: Callable[[], T], after: int | None = None
) -> T | None:
    """``every()`` (what a lookup says of every page, by page: the plans of all companies),
    made once and kept when a bulk static build has asked for it ``after`` times (by default
    ``GROUP_AFTER``): it renders many such pages. None before that and for any other request,
    which then asks about its one page (a build after an edit renders a few company pages,
    say, among many others: making the lookup for all of them would cost more). A lookup
    whose ``every()`` costs as much as hundreds of single ones waits longer."""
    memo = _memo(request)
    if memo is None or not memo.bulk:
        return None
    if key not in memo.values:
        memo.asked[key] = asked = memo.asked.get(key, 0) + 1
        if asked < (after or GROUP_AFTER):
            return None
    return memo.get(key, every)


_answering: ContextVar[HttpRequest | None] = ContextVar("export_request", default=None)


@contextmanager
def answering(request: HttpRequest) -> Iterator[None]:
    """Marks ``request`` as the static export's request being answered in this thread."""
    token = _answering.set(request)
    try:
        yield
    finally:
        _answering.reset(token)


def export_request() -> HttpRequest | None:
    """The static export's request being answered in this thread, if any: what a page shown
    by it (a card) may use where it is asked something without a request (its ``url``)."""
    return _answering.get()


def is_static(request: HttpRequest | None) -> bool:
    return bool(request is not None and getattr(request, STATIC_EXPORT_ATTR, False))


def live_url(request: HttpRequest | None, path: str) -> str:
    """``path`` on the live site: as is when serving live, marked for rewriting when exporting."""
    return f"{LIVE_PREFIX}{path}" if is_static(request) else path


REVERSED_KEPT = 50_000  # links remembered per process (a portal's pages and views)
_PLAIN = (str, int)


def reverse(
    viewname: Any,
    urlconf: str | None = None,
    args: Any = None,
    kwargs: dict[str, Any] | None = None,
    current_app: str | None = None,
    **options: Any,
) -> str:
    """Django's ``reverse``, remembered per process when its arguments are plain strings and
    numbers: pages link to the same pages and views over and over (Wagtail reverses a page's
    URL each time it is asked for it; a section's page asks for 20 to 50). The answer is kept
    under all it depends on: the URL configuration and script prefix in force, and the
    language when the URL patterns have translated parts."""
    items = tuple(sorted(kwargs.items())) if kwargs else ()
    if (
        urlconf is None
        and current_app is None
        and not options
        and isinstance(viewname, str)
        and all(type(arg) in _PLAIN for arg in args or ())
        and all(type(value) in _PLAIN for _, value in items)
    ):
        urlconf = get_urlconf()
        language = get_language() if _translated_patterns(urlconf) else None
        where = (urlconf, get_script_prefix(), language)
        return _reversed(viewname, tuple(args or ()), items, where)
    return django_reverse(viewname, urlconf, args, kwargs, current_app, **options)


@lru_cache(maxsize=REVERSED_KEPT)
def _reversed(viewname: str, args: tuple, items: tuple, where: tuple) -> str:
    return django_reverse(viewname, args=args or None, kwargs=dict(items) or None)


@lru_cache(maxsize=16)
def _translated_patterns(urlconf: str | None) -> bool:
    """Whether any URL pattern of ``urlconf`` depends on the language (``i18n_patterns``, or a
    route given as a lazy translation)."""

    def translated(patterns: list) -> bool:
        for entry in patterns:
            pattern = entry.pattern
            if isinstance(pattern, LocalePrefixPattern):
                return True
            if isinstance(
                getattr(pattern, "_route", None) or getattr(pattern, "_regex", ""), Promise
            ):
                return True
            if isinstance(entry, URLResolver) and translated(entry.url_patterns):
                return True
        return False

    return translated(get_resolver(urlconf).url_patterns)


def _forget_reversed(**kwargs: Any) -> None:
    # Settings changed (in tests): the URL patterns may be others.
    _reversed.cache_clear()
    _translated_patterns.cache_clear()


setting_changed.connect(_forget_reversed, dispatch_uid="rendering-forget-reversed")
