"""Base page types: themed rendering, the hub, a portal's home page and the section indexes."""

from datetime import date
from functools import cache
from typing import Any, ClassVar

from django.apps import apps
from django.core.paginator import EmptyPage, Paginator
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.utils.functional import cached_property, classproperty
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page, PageManager, PageViewRestriction, Site
from wagtail.query import PageQuerySet

from portal.rendering import carries_fragments, export_request, is_static, remembered
from themes.registry import theme_template as load_theme_template

from ..loading import deferred_rows, loaded_once
from ..prepared import Param, Prepared, children_of_param, prepared
from ..sections import index_models, section_types
from .page_form import PortalPageForm
from .settings import PortalSettings
from .shared import (
    copied,
    portal_settings_for,
    restricted_page_ids,
    restricted_paths,
    shared,
    site_for_request,
    under_restrictions,
)
from .taxonomy import Category, Region

# Apps add to the context of pages whose models they do not own (the board adds the forms to
# respond with to a listing's page, and its current listings to a company's page) with
# ``hooks.register(PAGE_CONTEXT_HOOK, fn)``; ``fn(page, request, context)`` updates the context.
PAGE_CONTEXT_HOOK = "portal_page_context"
NEWEST_FIRST = ("-first_published_at", "-pk")  # how most lists order their items


def filter_value(filter_object: Any) -> str | None:
    """What stands for a filter in its URL: a category's slug or a region's code."""
    return getattr(filter_object, "slug", None) or getattr(filter_object, "code", None)


def ancestor_paths(path: str, steplen: int) -> list[str]:
    """The tree paths of a page's ancestors and its own, root first."""
    return [path[:end] for end in range(steplen, len(path) + 1, steplen)]


class PortalPageQuerySet(PageQuerySet):
    def public(self, within: Page | None = None) -> "PortalPageQuerySet":
        """Wagtail's (pages under no view restriction), from where the restrictions are as this
        process knows them (``shared.restricted_paths``) instead of a query per call; no
        condition at all when there is no restriction anywhere (or, with ``within``, none on
        it, its ancestors or below it: a members-only report in the news leaves the board's
        queries as simple as they were)."""
        restrictions = tuple(_restrictions(within))
        private = _private_q(restrictions, self.model) if restrictions else None
        return self.exclude(private) if private is not None else self.all()


def all_pages() -> PortalPageQuerySet:
    """Every page, with ``PortalPageQuerySet.public()`` (Wagtail's ``Page.objects`` queries
    the view restrictions on every call)."""
    return PortalPageQuerySet(Page)


def _private_q(restrictions: tuple, model: type[Page]) -> models.Q | None:
    """The pages of ``model`` under ``restrictions``: by id when they are few, else by tree
    path; None when no page of ``model`` is under them (members-only market reports leave
    the queries of listings and products without a condition)."""
    ids = restricted_page_ids(restrictions, model)
    if ids is None:
        return under_restrictions(restrictions)
    # A short list: one cheap test per row, however many restrictions.
    return models.Q(pk__in=ids) if ids else None


def _restrictions(within: Page | None) -> list[tuple]:
    """The restricted tree paths that reach pages below ``within`` (all, without it)."""
    found = restricted_paths()[1]
    if within is None:
        return list(found)
    return [r for r in found if r[0].startswith(within.path) or within.path.startswith(r[0])]


class PortalPage(Page):
    """A public page rendered through its portal's theme (Jinja2)."""

    base_form_class = PortalPageForm
    # Template name inside a theme; defaults to "<app_label>/<model_name>.html".
    theme_template: ClassVar[str | None] = None
    # Tried in order when the theme (and base) has no template of the page's own name.
    fallback_templates: ClassVar[tuple[str, ...]] = ()
    # What the page's own template shows of related rows: loaded with the page when a
    # request is routed to it (``select_related`` lookups).
    route_related: ClassVar[tuple[str, ...]] = ()

    objects = PageManager.from_queryset(PortalPageQuerySet)()

    class Meta:
        abstract = True

    _request: HttpRequest | None = None

    @cached_property
    def portal_site(self) -> Site | None:
        """The page's own site; the request's (already resolved) site when it is the same."""
        site = site_for_request(self._request) if self._request else None
        if site is not None and self.path.startswith(site.root_page.path):
            return site
        return self.get_site()

    @cached_property
    def portal_settings(self) -> PortalSettings | None:
        site = self.portal_site
        if site is None:
            return None
        if self._request is not None and site == site_for_request(self._request):
            return portal_settings_for(self._request, site)  # one copy per request
        return PortalSettings.for_site(site)

    def get_url_parts(self, request: HttpRequest | None = None) -> tuple | None:
        """Wagtail's, kept for the rest of a static build: no page moves during one, and its
        pages link to the same pages over and over (a listing's section, company, matches).
        A page a static build shows (a card) is asked for its ``url`` without the request:
        the request being answered is then used."""
        request = request or export_request()
        if not is_static(request):
            return super().get_url_parts(request)
        parts = super().get_url_parts
        return remembered(request, ("url-parts", self.pk, self.url_path), lambda: parts(request))

    def _get_site_root_paths(self, request: HttpRequest | None = None) -> list:
        """Wagtail's, read once per request, also when a page a static build shows is asked
        for its ``url`` without the request (Wagtail then reads them from its cache)."""
        return super()._get_site_root_paths(request or export_request())

    def get_view_restrictions(self) -> models.QuerySet:
        """Wagtail's (the restrictions of the page and its ancestors), found among the
        restricted paths this process knows: a page under none answers without a query.
        Aliases (whose restrictions are their originals') are left to Wagtail."""
        aliases, restrictions = restricted_paths(self._request)
        paths = ancestor_paths(self.path, self.steplen)
        if self.alias_of_id or aliases.intersection(paths):
            return super().get_view_restrictions()
        ids = [pk for tree_path, _, pk in restrictions if self.path.startswith(tree_path)]
        if not ids:
            return PageViewRestriction.objects.none()
        return PageViewRestriction.objects.filter(pk__in=ids)

    def route(self, request: HttpRequest, path_components: list[str]):
        """Wagtail's routing, asking :meth:`child_for_route` for the child a path leads to (as
        its specific page, with what its template shows of related rows)."""
        if not path_components:
            return super().route(request, path_components)
        child = self.child_for_route(request, path_components[0])
        if child is None:
            raise Http404
        child._cached_parent_obj = self  # as Wagtail does: get_parent() without a query
        child._request = request
        return child.route(request, path_components[1:])

    def child_for_route(self, request: HttpRequest, slug: str) -> Page | None:
        """The child page at ``slug``, specific, in two queries (its type, then its row with
        the ``route_related`` rows of its class)."""
        child = self.get_children().filter(slug=slug).first()
        if child is None:
            return None
        model = child.specific_class
        if model is None:
            return child
        related = getattr(model, "route_related", ())
        return model._default_manager.select_related(*related).filter(pk=child.pk).first()

    @property
    def theme(self) -> str:
        settings = self.portal_settings
        return settings.theme if settings else "base"

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self._request = request
        return super().serve(request, *args, **kwargs)

    def get_template(self, request: HttpRequest, *args: Any, **kwargs: Any):
        self._request = request
        name = self.theme_template or f"{self._meta.app_label}/{self._meta.model_name}.html"
        return load_theme_template(self.theme, [name, *self.fallback_templates])

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        for extend in hooks.get_hooks(PAGE_CONTEXT_HOOK):
            extend(self, request, context)
        return context


class HubPage(PortalPage):
    """The landing page of the whole install: lists every portal."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types: ClassVar[list[str]] = []
    theme_template = "core/hub_page.html"

    class Meta:
        verbose_name = "hub page"

    def portals(self) -> list[dict[str, Any]]:
        sites = (
            Site.objects.exclude(root_page__content_type__model="hubpage")
            .select_related("root_page")
            .order_by("site_name", "hostname")
        )
        settings = {s.site_id: s for s in PortalSettings.objects.filter(site__in=sites)}
        return [
            {"site": site, "settings": settings.get(site.pk), "url": site.root_url + "/"}
            for site in sites
            if site.root_page.live
        ]


class PortalHomePage(PortalPage):
    """Root of one portal; its children are the sections."""

    industry_slug = models.SlugField(max_length=60, unique=True, editable=False)
    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    theme_template = "core/portal_home_page.html"

    @classproperty
    def subpage_types(cls) -> list[str]:
        """The index pages of the registered section types (see ``portal/core/sections.py``)."""
        return index_models()

    class Meta:
        verbose_name = "portal home page"

    def children_by_slug(self, request: HttpRequest | None = None) -> dict[str, Page]:
        """Every child page (the sections), specific, by slug: kept per process
        (``shared``); pages from here are shared, copy one before setting attributes on it."""
        return shared(
            request,
            ("home-children", self.pk),
            lambda: {page.slug: page for page in self.get_children().specific()},
        )

    def child_for_route(self, request: HttpRequest, slug: str) -> Page | None:
        child = self.children_by_slug(request).get(slug)
        return copied(child) if child is not None else None

    def shared_sections(self, request: HttpRequest | None = None) -> list["ListingIndexPage"]:
        """The live sections as every request shares them: to read, never to set attributes
        on (:meth:`sections` gives copies)."""
        return [
            page
            for page in self.children_by_slug(request).values()
            if isinstance(page, ListingIndexPage) and page.live
        ]

    def sections(self) -> list["ListingIndexPage"]:
        return [copied(page) for page in self.shared_sections(self._request)]

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        sections = self.sections()
        # The teasers are kept per process like the menu (a page saved anywhere drops them),
        # and per day, for what leaves lists by date (an expired listing, a past event).
        teasers = shared(
            request,
            ("home-teasers", self.pk, date.today()),
            lambda: {section.pk: section.latest(section.home_teasers) for section in sections},
        )
        context["sections"] = [(section, teasers.get(section.pk, [])) for section in sections]
        return context


@cache
def extension_accessors(model: type[Page]) -> dict[type[Page], str]:
    """The models extending ``model`` by a parent link (a sell offer, a buy request), with
    the name of the link from a ``model`` row."""
    return {
        rel.related_model: rel.get_accessor_name()
        for rel in model._meta.related_objects
        if rel.one_to_one and rel.parent_link
    }


def listed_child(model: type[Page]) -> Prepared:
    """The child of a section at a slug (``parent_path``, ``depth`` and ``slug`` given when
    it runs), as a ``model`` row with the ``route_related`` rows of ``model`` and of the
    models extending it, and their own rows."""

    def build() -> models.QuerySet:
        extensions = extension_accessors(model)
        related = {*getattr(model, "route_related", ())}
        for extension in extensions:
            related |= {*getattr(extension, "route_related", ())}
        return (
            model._default_manager.filter(
                children_of_param(), slug=Param("slug", models.CharField())
            )
            .select_related(*sorted(related), *extensions.values())
            .order_by("pk")[:1]
        )

    return prepared(("listed-child", model._meta.label), build)


class ListingIndexPage(RoutablePageMixin, PortalPage):
    """A section: lists its children, filters by category or region, paginates by path.

    URLs: ``./``, ``./page/2/``, ``./category/<slug>/``, ``./category/<slug>/page/2/``,
    ``./region/<code>/`` and ``./region/<code>/page/2/``: plain paths, so a static export
    has the same URLs as the live site.
    """

    intro = models.TextField(blank=True, help_text="Shown above the listing.")

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["core.PortalHomePage"]
    max_count_per_parent = 1

    fallback_templates = ("core/listing_index.html",)
    per_page: ClassVar[int] = 20
    listing_nouns: ClassVar[tuple[str, str]] = ("listing", "listings")
    # The templates of its list pages show each item only through ``kept_for_build`` (a card
    # kept for the build, or carried from an earlier one): a build carrying cards then reads
    # only the items whose card it renders (``items_by_id``).
    shows_items_as_cards: ClassVar[bool] = False
    home_teasers: ClassVar[int] = 4
    listing_model: ClassVar[str]  # "app_label.ModelName" of the listed pages
    category_lookup: ClassVar[str | None] = "category"
    region_lookup: ClassVar[str | None] = "region"
    ordering: ClassVar[tuple[str, ...]] = NEWEST_FIRST
    listing_related: ClassVar[tuple[str, ...]] = ()
    # Whether items that are no longer current leave the site (the sitemap and the static copy
    # drop them; the board answers 410 for them), or stay at their URLs, only no longer listed.
    retires_items: ClassVar[bool] = False

    class Meta:
        abstract = True

    @classmethod
    def get_listing_model(cls) -> type[Page]:
        return apps.get_model(cls.listing_model)

    @classmethod
    def current_filter(cls) -> models.Q:
        """Which items are current (e.g. not past their validity), and so listed; all of them
        by default. The one definition of "current" for the section: its lists, feeds, home
        page teasers, sitemap and static copy follow it."""
        return models.Q()

    def listings(self) -> models.QuerySet:
        model = self.get_listing_model()
        return (
            model.objects.live()
            .public(within=self)
            .child_of(self)
            .filter(self.current_filter())
            .select_related(*self.listing_related)
            .order_by(*self.ordering)
        )

    def count_label(self, count: int) -> str:
        """``1 listing``, ``2,000 companies``..."""
        singular, plural = self.listing_nouns
        return f"{count:,} {singular if count == 1 else plural}"

    def latest(self, count: int) -> list[Page]:
        return list(self.listings()[:count])

    def child_for_route(self, request: HttpRequest, slug: str) -> Page | None:
        """The listed item at ``slug`` in one query: a row of ``listing_model`` with its
        ``route_related`` rows and the rows of the models that extend it (a sell offer's or a
        buy request's own columns), so the specific page needs no second query. The query is
        prepared once per process (``listed_child``)."""
        model = self.get_listing_model()
        found = listed_child(model).run(parent_path=self.path, depth=self.depth + 1, slug=slug)
        if not found:  # not a listed item: another kind of child, or none
            return super().child_for_route(request, slug)
        item = found[0]
        specific_class = item.specific_class
        extensions = extension_accessors(model)
        if specific_class is None or specific_class is model:
            return item
        if specific_class in extensions:
            return getattr(item, extensions[specific_class])
        return item.specific

    def _taxonomy(self) -> dict[str, Any]:
        """The portal's categories and regions, kept per process (``shared``)."""
        site = self.portal_site

        def load() -> dict[str, Any]:
            categories = list(Category.objects.for_site(site).order_by(*Category._meta.ordering))
            children: dict[int, list[Category]] = {}
            for category in categories:
                if category.parent_id is not None:
                    children.setdefault(category.parent_id, []).append(category)
            by_pk = {category.pk: category for category in categories}
            for category in categories:  # as prefetch_related("children") leaves them
                category._prefetched_objects_cache = {
                    "children": _prefetched(category.children, children.get(category.pk, []))
                }
                if category.parent_id in by_pk:  # str(category) names its parent
                    Category.parent.field.set_cached_value(category, by_pk[category.parent_id])
            return {
                "categories": [c for c in categories if c.is_active and c.parent_id is None],
                "category_by_slug": {c.slug: c for c in categories},
                "families": {
                    c.pk: [c.pk, *(child.pk for child in children.get(c.pk, []))]
                    for c in categories
                },
                "regions": list(Region.objects.filter(site=site, is_active=True)),
                "region_by_code": {r.code: r for r in Region.objects.filter(site=site)},
            }

        return shared(self._request, ("taxonomy", site.pk), load)

    def categories(self) -> list[Category]:
        """The portal's active top-level categories, each with its children prefetched."""
        return self._taxonomy()["categories"]

    def regions(self) -> list[Region]:
        return self._taxonomy()["regions"]

    def filter_suffix(
        self, kind: str | None = None, value: str | None = None, page: int = 1
    ) -> str:
        """The part of a filtered, paginated URL after the section's own URL."""
        parts = [f"{kind}/{value}/"] if kind and value else []
        if page > 1:
            parts.append(f"page/{page}/")
        return "".join(parts)

    def filter_url(
        self,
        request: HttpRequest | None,
        kind: str | None = None,
        value: str | None = None,
        page: int = 1,
    ) -> str:
        # A sidebar links every filter: find the section's own URL once per request.
        cached = getattr(self, "_filter_base", None)
        if cached is None or cached[0] is not request:
            cached = self._filter_base = (request, self.get_url(request=request) or self.url)
        return cached[1] + self.filter_suffix(kind, value, page)

    def filtered(
        self,
        kind: str | None = None,
        filter_object: Any = None,
        listings: models.QuerySet | None = None,
    ) -> models.QuerySet:
        """The section's listings (or ``listings``, when already made) under one filter:
        ``category`` (with its children) or ``region``; all of them without one."""
        listings = self.listings() if listings is None else listings
        if kind == "category":
            family = self._taxonomy()["families"].get(filter_object.pk)
            return listings.filter(
                **{f"{self.category_lookup}__in": family or filter_object.family_ids()}
            ).distinct()
        if kind == "region":
            return listings.filter(**{self.region_lookup: filter_object}).distinct()
        return listings

    def list_of(
        self, request: HttpRequest | None, kind: str | None = None, choice: Any = None
    ) -> models.QuerySet:
        """The list under a filter (:meth:`filtered`). A static build makes it once for all
        the filter's pages and feeds: they only derive other querysets from it (its ids,
        its items by id), never read it."""
        if not is_static(request):
            return self.filtered(kind, choice)
        return remembered(
            request,
            ("list-of", self.pk, kind, filter_value(choice)),
            lambda: self.filtered(kind, choice),
        )

    def filter_choices(self) -> list[tuple[str | None, Any]]:
        """Every filter the section's sidebar links to, starting with "all" (None, None)."""
        choices: list[tuple[str | None, Any]] = [(None, None)]
        if self.category_lookup:
            for group in self.categories():
                choices.append(("category", group))
                choices += [("category", c) for c in group.children.all() if c.is_active]
        if self.region_lookup:
            choices += [("region", region) for region in self.regions()]
        return choices

    def filter_at(self, request: HttpRequest | None, suffix: str) -> tuple[str, Any] | None:
        """The filter (kind and choice) whose list starts at ``suffix`` below the section
        (``category/coils/``), or None; worked out once per static build."""

        def by_suffix() -> dict[str, tuple[str, Any]]:
            found: dict[str, tuple[str, Any]] = {}
            for kind, choice in self.filter_choices():
                if kind:
                    found.setdefault(self.filter_suffix(kind, filter_value(choice)), (kind, choice))
            return found

        return remembered(request, ("filter-suffixes", self.pk), by_suffix).get(suffix)

    def listed_ids(
        self, request: HttpRequest | None, queryset: models.QuerySet, kind: str | None, value: Any
    ) -> tuple[int, ...]:
        """The ids of ``queryset`` (the list under filter ``kind``, ``value``), in order:
        listed once per filter instead of counting and skipping through the listing for
        every page: for a whole build by a static export, which renders every page and feed
        of every filter, and per process by the live site (kept with what every page shares,
        until a page or the taxonomy changes)."""
        keep = remembered if is_static(request) else shared
        return keep(
            request,
            ("listing-ids", self.pk, kind, value),
            lambda: tuple(queryset.values_list("pk", flat=True)),
        )

    def first_listed(
        self, request: HttpRequest | None, count: int, kind: str | None = None, choice: Any = None
    ) -> list[Page]:
        """The first ``count`` items of the list under a filter (all items without one), as
        its first page shows them: what its feed lists. A static build takes them from the
        ids it lists the filter's pages with, and each item is loaded once per build."""
        queryset = self.list_of(request, kind, choice)
        if not is_static(request):
            return list(queryset[:count])
        ids = self.listed_ids(request, queryset, kind, filter_value(choice))
        return self.items_by_id(request, queryset, list(ids[:count]))

    def paginator(self, request: HttpRequest, queryset: models.QuerySet, key: tuple) -> Paginator:
        """Pages of the ids of ``queryset`` (:meth:`listed_ids`); each page's items are then
        loaded by id (:meth:`items_by_id`)."""
        return Paginator(self.listed_ids(request, queryset, *key), self.per_page)

    def items_by_id(
        self, request: HttpRequest, queryset: models.QuerySet, ids: list, cards: bool = False
    ) -> list:
        """The items of ``queryset`` with these ids, in their order (read again on every
        request by the live site: what left the listing since its ids were kept is left out).
        A static build loads each item once and keeps it for every list of the section that
        shows it (the section, its categories, their parents, its regions); a bulk build
        loads the section's whole listing at once. Items only shown as ``cards``, by a build
        carrying the cards of earlier builds, are read only when their card was not carried
        (``loading.Deferred``)."""
        cards = cards and self.shows_items_as_cards
        load = deferred_rows if cards and carries_fragments(request) else loaded_once
        return load(
            request, ("listed-items", self.pk), queryset, ids, every=lambda: self.list_of(request)
        )

    def render_listing(
        self,
        request: HttpRequest,
        page: int,
        queryset: models.QuerySet,
        kind: str | None = None,
        filter_object: Any = None,
    ) -> HttpResponse:
        if page == 1 and request.path.rstrip("/").endswith("/page/1"):
            value = filter_value(filter_object)
            return HttpResponsePermanentRedirect(self.filter_url(request, kind, value))
        value = filter_value(filter_object)
        paginator = self.paginator(request, queryset, (kind, value))
        try:
            page_obj = paginator.page(page)
        except EmptyPage:
            if page == 1:
                page_obj = paginator.page(1)
            else:
                raise Http404("No such page") from None
        page_obj.object_list = self.items_by_id(request, queryset, page_obj.object_list, cards=True)
        pages = [
            {"number": n, "url": self.filter_url(request, kind, value, n)}
            for n in paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)
            if isinstance(n, int)
        ]
        return self.render(
            request,
            context_overrides={
                "listings": page_obj.object_list,
                "page_obj": page_obj,
                "paginator": paginator,
                "page_links": pages,
                "filter_kind": kind,
                "filter_object": filter_object,
                "previous_url": self.filter_url(request, kind, value, page_obj.number - 1)
                if page_obj.has_previous()
                else None,
                "next_url": self.filter_url(request, kind, value, page_obj.number + 1)
                if page_obj.has_next()
                else None,
            },
        )

    @path("")
    @path("page/<int:page>/")
    def all_listings(self, request: HttpRequest, page: int = 1) -> HttpResponse:
        return self.render_listing(request, page, self.list_of(request))

    @path("category/<slug:slug>/")
    @path("category/<slug:slug>/page/<int:page>/")
    def by_category(self, request: HttpRequest, slug: str, page: int = 1) -> HttpResponse:
        if not self.category_lookup:
            raise Http404("This section has no categories")
        category = self._taxonomy()["category_by_slug"].get(slug)
        if category is None:
            raise Http404("No such category")
        return self.render_listing(
            request, page, self.list_of(request, "category", category), "category", category
        )

    @path("region/<slug:code>/")
    @path("region/<slug:code>/page/<int:page>/")
    def by_region(self, request: HttpRequest, code: str, page: int = 1) -> HttpResponse:
        if not self.region_lookup:
            raise Http404("This section has no regions")
        region = self._taxonomy()["region_by_code"].get(code)
        if region is None:
            raise Http404("No such region")
        listings = self.list_of(request, "region", region)
        return self.render_listing(request, page, listings, "region", region)


def _prefetched(manager: Any, rows: list) -> models.QuerySet:
    """A queryset of ``manager`` holding ``rows`` already, as ``prefetch_related`` leaves it."""
    queryset = manager.get_queryset()
    queryset._result_cache, queryset._prefetch_done = rows, True
    return queryset


def retired_items(root: Page | None = None) -> models.Q:
    """Live pages their section retired (closed or expired listings), below ``root`` or
    anywhere: the sitemap and the static copy leave them out."""
    retired = models.Q(pk__in=[])
    for entry in section_types():
        section = entry.index_page_class
        if section.retires_items:
            items = section.get_listing_model().objects.live().exclude(section.current_filter())
            if root is not None:
                items = items.descendant_of(root)
            retired |= models.Q(pk__in=items.values("pk"))
    return retired
