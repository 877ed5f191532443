"""Base page types: themed rendering, the hub, a portal's home page and the section indexes."""

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
from wagtail.models import Page, Site

from portal.rendering import is_static, remembered
from themes.registry import theme_template as load_theme_template

from ..sections import index_models, section_types
from .page_form import PortalPageForm
from .settings import PortalSettings
from .taxonomy import Category, Region

# Apps add to the context of pages whose models they do not own (the board adds the forms to
# respond with to a listing's page, and its current listings to a company's page) with
# ``hooks.register(PAGE_CONTEXT_HOOK, fn)``; ``fn(page, request, context)`` updates the context.
PAGE_CONTEXT_HOOK = "portal_page_context"


def filter_value(filter_object: Any) -> str | None:
    """What stands for a filter in its URL: a category's slug or a region's code."""
    return getattr(filter_object, "slug", None) or getattr(filter_object, "code", None)


class PortalPage(Page):
    """A public page rendered through its portal's theme (Jinja2)."""

    base_form_class = PortalPageForm
    # Template name inside a theme; defaults to "<app_label>/<model_name>.html".
    theme_template: ClassVar[str | None] = None
    # Tried in order when the theme (and base) has no template of the page's own name.
    fallback_templates: ClassVar[tuple[str, ...]] = ()

    class Meta:
        abstract = True

    _request: HttpRequest | None = None

    @cached_property
    def portal_site(self) -> Site | None:
        """The page's own site; the request's (already resolved) site when it is the same."""
        site = Site.find_for_request(self._request) if self._request else None
        if site is not None and self.path.startswith(site.root_page.path):
            return site
        return self.get_site()

    @cached_property
    def portal_settings(self) -> PortalSettings | None:
        site = self.portal_site
        if site is None:
            return None
        if self._request is not None and site == Site.find_for_request(self._request):
            return PortalSettings.for_request(self._request)  # cached on the request
        return PortalSettings.for_site(site)

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

    def sections(self) -> list["ListingIndexPage"]:
        return [
            page
            for page in self.get_children().live().specific()
            if isinstance(page, ListingIndexPage)
        ]

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = [
            (section, section.latest(section.home_teasers)) for section in self.sections()
        ]
        return context


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
    home_teasers: ClassVar[int] = 4
    listing_model: ClassVar[str]  # "app_label.ModelName" of the listed pages
    category_lookup: ClassVar[str | None] = "category"
    region_lookup: ClassVar[str | None] = "region"
    ordering: ClassVar[tuple[str, ...]] = ("-first_published_at", "-pk")
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
            .public()
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

    def categories(self) -> list[Category]:
        """The portal's active top-level categories, each with its children prefetched."""
        return remembered(
            self._request,
            ("categories", self.portal_site.pk),
            lambda: list(
                Category.objects.for_site(self.portal_site)
                .active()
                .filter(parent=None)
                .prefetch_related("children")
            ),
        )

    def regions(self) -> list[Region]:
        return remembered(
            self._request,
            ("regions", self.portal_site.pk),
            lambda: list(Region.objects.filter(site=self.portal_site, is_active=True)),
        )

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
            return listings.filter(
                **{f"{self.category_lookup}__in": filter_object.family_ids()}
            ).distinct()
        if kind == "region":
            return listings.filter(**{self.region_lookup: filter_object}).distinct()
        return listings

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

    def paginator(self, request: HttpRequest, queryset: models.QuerySet, key: tuple) -> Paginator:
        """Pages of ``queryset``. A static export, which renders every page of every filter,
        lists the ids once per filter and loads each page's items by id, instead of counting
        and skipping through the listing again for every page."""
        if not is_static(request):
            return Paginator(queryset, self.per_page)
        ids = remembered(
            request,
            ("listing-ids", self.pk, *key),
            lambda: list(queryset.values_list("pk", flat=True)),
        )
        return Paginator(ids, self.per_page)

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
        if is_static(request):
            found = {item.pk: item for item in queryset.filter(pk__in=page_obj.object_list)}
            page_obj.object_list = [found[pk] for pk in page_obj.object_list if pk in found]
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
        return self.render_listing(request, page, self.listings())

    @path("category/<slug:slug>/")
    @path("category/<slug:slug>/page/<int:page>/")
    def by_category(self, request: HttpRequest, slug: str, page: int = 1) -> HttpResponse:
        if not self.category_lookup:
            raise Http404("This section has no categories")
        category = remembered(
            request,
            ("category", self.portal_site.pk, slug),
            lambda: Category.objects.for_site(self.portal_site).filter(slug=slug).first(),
        )
        if category is None:
            raise Http404("No such category")
        return self.render_listing(
            request, page, self.filtered("category", category), "category", category
        )

    @path("region/<slug:code>/")
    @path("region/<slug:code>/page/<int:page>/")
    def by_region(self, request: HttpRequest, code: str, page: int = 1) -> HttpResponse:
        if not self.region_lookup:
            raise Http404("This section has no regions")
        region = Region.objects.filter(site=self.portal_site, code=code).first()
        if region is None:
            raise Http404("No such region")
        return self.render_listing(request, page, self.filtered("region", region), "region", region)


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
