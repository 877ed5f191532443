"""The one Jinja2 environment factory: loaders per theme and Django's helpers as globals.

Of the host project, templates see only the rendering context of ``portal.rendering`` (is this
a static copy, links to the live site, values kept for a whole build) and the variables its
context processors add.
"""

import contextlib
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma, naturaltime
from django.db.models import Model
from django.template.utils import get_app_template_dirs
from django.templatetags.static import static
from django.test.signals import setting_changed
from django.utils import dateformat, timezone
from django.utils.html import linebreaks
from django.utils.text import Truncator
from django.utils.translation import get_language
from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    PrefixLoader,
    pass_context,
    select_autoescape,
)
from jinja2.bccache import Bucket
from markupsafe import Markup, escape
from wagtail.images.jinja2tags import image as wagtail_image

from portal import rendering

from .registry import BASE_THEME

EXTENSIONS = [
    "wagtail.jinja2tags.core",
    "wagtail.admin.jinja2tags.userbar",
    "wagtail.images.jinja2tags.images",
    "wagtail.contrib.settings.jinja2tags.settings",
]


def theme_loader(themes_dir: Path, theme: str) -> ChoiceLoader:
    """Theme folder first, then ``base``; ``base/<name>`` always reaches the base template.

    After ``base`` come the ``jinja2/`` folders of installed apps: an app that adds a section
    type can ship its pages' templates, which themes then override like any other."""
    base = ChoiceLoader(
        [
            FileSystemLoader(str(themes_dir / BASE_THEME / "jinja2")),
            *(FileSystemLoader(str(folder)) for folder in get_app_template_dirs("jinja2")),
        ]
    )
    loaders = [] if theme == BASE_THEME else [FileSystemLoader(str(themes_dir / theme / "jinja2"))]
    return ChoiceLoader([*loaders, PrefixLoader({BASE_THEME: base}), base])


def format_date(value: date | datetime | None, fmt: str = "j M Y") -> str:
    if not value:
        return ""
    if type(value) is date:  # lists show the same few dates over and over
        return _format_day(value, fmt, get_language())
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return dateformat.format(value, fmt)


@lru_cache(maxsize=4096)
def _format_day(value: date, fmt: str, language: str | None) -> str:
    return dateformat.format(value, fmt)  # month names are in the active language


def pluralize(count: int, singular: str = "", plural: str = "s") -> str:
    return singular if count == 1 else plural


def money(amount: Decimal | float | None, currency: str = "") -> str:
    """``12,500.00 USD``; whole amounts lose their decimals."""
    if amount is None:
        return ""
    amount = Decimal(amount)
    text = f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"
    return f"{text} {currency}".strip()


def plain_text(value: str | None) -> Markup:
    """User text with safe line breaks: everything escaped, paragraphs kept."""
    return Markup(linebreaks(escape(value or "")))


def truncate_words(value: str, count: int = 30) -> str:
    return Truncator(value or "").words(count)


@pass_context
def routablepageurl(context: Any, page: Any, route_name: str, *args: Any, **kwargs: Any) -> str:
    """Jinja2 twin of Wagtail's ``routablepageurl`` tag (Wagtail ships none for Jinja2)."""
    request = context.get("request")
    base = page.get_url(request=request) or page.url or "/"
    return base + page.reverse_subpage(route_name, args=args, kwargs=kwargs).lstrip("/")


@pass_context
def live_url(context: Any, path: str) -> str:
    """A link to a dynamic feature (sign-in, posting, forms): on a static copy it leads to the
    live site."""
    return rendering.live_url(context.get("request"), path)


@pass_context
def static_build(context: Any) -> bool:
    """Whether the page is being rendered for the static copy of the portal."""
    return rendering.is_static(context.get("request"))


@pass_context
def shared_page(context: Any) -> bool:
    """Whether the page is the same for every visitor: a static copy, or an anonymous page
    that HTTP caches share. Such pages carry nothing personal: their forms fetch fresh
    tokens by script when they are used."""
    request = context.get("request")
    return rendering.is_static(request) or bool(getattr(request, "shared_page", False))


@pass_context
def kept_for_build(context: Any, macro: Any, item: Any) -> Markup:
    """``macro(item)``, rendered once per static build for each item, and carried to later
    builds while the item stays the same (on the live site, every time): for fragments that
    show only their item, alike on every page that lists it (``rendering.kept_fragment``)."""
    request = context.get("request")
    if not rendering.is_static(request):
        return macro(item)
    theme = context.environment.globals.get("theme_name", BASE_THEME)
    key = ("fragment", theme, macro.name, item._meta.label_lower, item.pk)
    return Markup(rendering.kept_fragment(request, key, item.pk, lambda: macro(item)))


@pass_context
def kept_block(context: Any, block: Any, *key: Any) -> Markup | None:
    """The rendered ``block`` (``self.<name>``), kept for the rest of a static build under
    the page's template and ``key`` (what else the block shows: the section the page is in,
    the filter a list shows): for blocks alike on many pages, the header, a list's sidebar.
    None outside a static build: the template then renders the block in place."""
    request = context.get("request")
    if not rendering.is_static(request):
        return None
    theme = context.environment.globals.get("theme_name", BASE_THEME)
    parts = tuple(_key_part(part) for part in key)
    kept = ("block", theme, context.name, block.name, *parts)
    return rendering.remembered(request, kept, lambda: Markup(block()))


@pass_context
def kept_fields(context: Any, macro: Any, form: Any, skip: Any = ()) -> Markup:
    """``macro(form, skip)``, the fields of a form: rendered once per static build for a form
    every page shows blank (``rendering.blank_form``), each time for any other."""
    request = context.get("request")
    if not (getattr(form, rendering.BLANK_FORM_ATTR, False) and rendering.is_static(request)):
        return macro(form, skip)
    theme = context.environment.globals.get("theme_name", BASE_THEME)
    key = ("fields", theme, macro.name, type(form), form.prefix, tuple(skip))
    return rendering.remembered(request, key, lambda: Markup(macro(form, skip)))


def _key_part(value: Any) -> Any:
    """A model instance by its model and key, anything else as it is if it hashes."""
    if isinstance(value, Model):
        return (value._meta.label_lower, value.pk)
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


@pass_context
def current_sections(context: Any) -> tuple[int, ...]:
    """The ids of the portal's menu items the page is, or is below (its section)."""
    page, portal = context.get("page"), context.get("portal")
    if not page or not portal:
        return ()
    return tuple(
        item.pk for item in portal.menu if page.pk == item.pk or page.path.startswith(item.path)
    )


@pass_context
def style_nonce(context: Any) -> Markup:
    """`` nonce="…"`` for an inline ``<style>``: the Content-Security-Policy admits no other
    inline style. The static copy carries none (its server sets its own headers)."""
    request = context.get("request")
    # django-csp's lazy nonce is falsy until read: compare with None, then read it.
    nonce = getattr(request, "csp_nonce", None) if request is not None else None
    if nonce is None or rendering.is_static(request):
        return Markup("")
    return Markup(' nonce="{}"').format(str(nonce))


class KeptBytecode(FileSystemBytecodeCache):
    """Templates compiled once per install, not once per process: a new process (a static
    build after an edit, a server's new worker) loads them instead of compiling them again
    (about 0.3 s for one page of each kind). Jinja2 checks each against its source. A cache
    it cannot read or write only costs the compiling."""

    def load_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def kept_bytecode() -> KeptBytecode | None:
    folder = Path(settings.VAR_DIR) / "jinja2"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return KeptBytecode(str(folder))


RENDITIONS_KEPT = 4096  # image renditions remembered per process
_renditions: dict[tuple, Any] = {}


def image(picture: Any, filter_spec: str, **attrs: Any) -> Any:
    """Wagtail's ``image()``, with the rendition remembered per process: Wagtail looks it up
    in its cache, and stores it there again, each time a page shows an image (a portal's
    logo is on every page). Kept under what the rendition is made of: the image, its file
    and focal point, and the filter; a missing file's stand-in is not kept."""
    if not picture:
        return ""
    key = (
        type(picture),
        picture.pk,
        picture.file.name,
        picture.focal_point_x,
        picture.focal_point_y,
        picture.focal_point_width,
        picture.focal_point_height,
        filter_spec,
    )
    rendition = _renditions.get(key)
    if rendition is None:
        rendition = wagtail_image(picture, filter_spec)
        if rendition.pk is not None:
            if len(_renditions) >= RENDITIONS_KEPT:
                _renditions.clear()
            _renditions[key] = rendition
    return rendition.img_tag(attrs) if attrs else rendition


def _forget_renditions(**kwargs: Any) -> None:
    _renditions.clear()  # settings changed (in tests): media may be elsewhere


setting_changed.connect(_forget_renditions, dispatch_uid="themes-forget-renditions")


def environment(theme: str = BASE_THEME, themes_dir: str = "", **options: Any) -> Environment:
    options["loader"] = theme_loader(Path(themes_dir), theme)
    options.setdefault("bytecode_cache", kept_bytecode())
    # HTML is escaped; plain-text email templates (.txt) are not.
    options["autoescape"] = select_autoescape(
        enabled_extensions=("html", "xml"),
        disabled_extensions=("txt",),
        default=True,
        default_for_string=True,
    )
    options.setdefault("extensions", EXTENSIONS)
    options.setdefault("trim_blocks", True)
    options.setdefault("lstrip_blocks", True)
    env = Environment(**options)
    env.globals.update(
        static=static,
        url=lambda name, *args, **kwargs: rendering.reverse(name, args=args, kwargs=kwargs),
        image=image,
        routablepageurl=routablepageurl,
        live_url=live_url,
        static_build=static_build,
        shared_page=shared_page,
        kept_for_build=kept_for_build,
        kept_block=kept_block,
        kept_fields=kept_fields,
        current_sections=current_sections,
        style_nonce=style_nonce,
        theme_name=theme,
        now=timezone.now,
    )
    env.filters.update(
        date=format_date,
        pluralize=pluralize,
        intcomma=intcomma,
        naturaltime=naturaltime,
        money=money,
        plain_text=plain_text,
        truncate_words=truncate_words,
    )
    return env
