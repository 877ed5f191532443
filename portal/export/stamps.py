"""What each public page of a portal was built from, as short digests.

A page's stamp changes when its own published revision does, and also when something it
shows without linking to it changes: each section type declares what that is (the open
listings a listing is matched with, the quotes counted on a buy request, a company's current
listings; see ``shown_content`` in ``portal/core/sections.py``). Changes to pages it links to
are caught by the manifest (see ``manifest.py``), which folds the stamps of linked pages in.
"""

import hashlib
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db.models import CharField
from django.db.models.functions import Cast
from wagtail.models import Page

from portal.core.models.pages import all_pages, retired_items
from portal.core.sections import page_state_sources


def digest(*parts: object) -> str:
    text = "\x1f".join(map(str, parts))
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def as_written(field: str) -> Cast:
    """A date as the database writes it (one format per database, sorting as the dates do),
    for what is only digested or ordered: making thousands of aware datetimes was a third of
    the time of the queries that read them."""
    return Cast(field, CharField())


def public_pages(root: Page) -> list[tuple[int, str, int, str]]:
    """``(pk, url path below the portal, content type, revision stamp)`` of every page the
    portal serves: live, public, and not retired by its section (closed listings)."""
    rows = (
        all_pages()
        .live()
        .public()
        .descendant_of(root, inclusive=True)
        .exclude(retired_items(root))
        .annotate(published=as_written("last_published_at"))
        .values_list("pk", "url_path", "content_type", "live_revision_id", "published", "title")
        .order_by("path")
    )
    prefix = len(root.url_path) - 1
    state = _declared(root, lambda entry: entry.state_without_revision)
    return [
        (
            pk,
            url_path[prefix:],
            content_type,
            digest(pk, revision, published, title, state.get(pk, "")),
        )
        for pk, url_path, content_type, revision, published, title in rows
    ]


def shown_content(root: Page) -> dict[int, str]:
    """Extra stamps for pages whose content depends on other pages than their own."""
    return _declared(root, lambda entry: entry.shown_content)


def first_page_content(root: Page) -> dict[tuple[int, str, str], str]:
    """Extra stamps for the first page of filtered lists, by (section page id, filter kind,
    filter value): what they show besides their items (a category's supply and demand)."""
    return _declared(root, lambda entry: entry.first_page_content)


def search_page_stamp(root: Page) -> str:
    """The stamp of the portal's search page: what registered page states say it shows
    (sponsored slots); its template and the portal's settings are in every stamp anyway."""
    shown = [
        (entry.key, entry.search_page(root))
        for entry in page_state_sources()
        if getattr(entry, "search_page", None) is not None
    ]
    return digest(*shown) if shown else ""


def _declared(root: Page, hook: Callable[[Any], Callable | None]) -> dict[Any, str]:
    """What the section types' ``hook`` functions say of the pages of ``root``, digested."""
    parts: dict[Any, list[object]] = defaultdict(list)
    for entry in page_state_sources():
        function = hook(entry)
        if function is not None:
            for pk, shown in function(root).items():
                parts[pk].append((entry.key, shown))
    return {pk: digest(*shown) for pk, shown in parts.items()}


CODE_FOLDERS = ("themes", "portal", "search")


def code_stamp() -> str:
    """Changes whenever a template, asset or module of the product changes on disk."""
    from django.conf import settings

    parts = []
    for name in CODE_FOLDERS:
        for path in sorted((settings.BASE_DIR / name).rglob("*")):
            if path.suffix in {".py", ".html", ".txt", ".css", ".js", ".svg", ".png", ".xml"}:
                stat = path.stat()
                parts.append(f"{path}:{stat.st_size}:{stat.st_mtime_ns}")
    return digest(*parts)


def portal_stamp(site, *options: object) -> str:
    """What every page of a portal shows: its settings, menu, taxonomy, and the build options.

    When it changes, the whole portal is rendered again.
    """
    from django.forms.models import model_to_dict

    from portal.core.models import Category, PortalSettings, Region

    settings_row = PortalSettings.objects.filter(site=site).first()
    root = site.root_page
    menu = list(
        root.get_children()
        .live()
        .values_list("pk", "title", "slug", "show_in_menus", "last_published_at")
    )
    categories = list(
        Category.objects.filter(site=site).values_list("pk", "slug", "name", "parent", "is_active")
    )
    regions = list(Region.objects.filter(site=site).values_list("pk", "code", "name", "is_active"))
    return digest(
        site.hostname,
        site.port,
        site.site_name,
        root.title,
        root.last_published_at,
        model_to_dict(settings_row) if settings_row else "",
        menu,
        categories,
        regions,
        code_stamp(),
        *options,
    )
