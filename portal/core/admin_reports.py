"""Admin reports of a portal's rows, each downloadable as CSV or XLSX (Wagtail's
``ReportView``), seen by each portal's staff for their own portal only.

Apps build their reports on these bases: :class:`PortalRowsReport` for pages (rows the user
may explore), :class:`SiteRowsReport` for other rows that belong to a portal through a
``site`` field (plans, payments, verification requests...). Both name the portal of each row
in a ``portal`` column, filter by portal among the user's, and neutralise text cells against
CSV injection. :class:`PortalReportMenuItem` shows a report in the Reports menu to whoever
may explore a portal; :func:`report_paths`, :func:`register_report_urls` and
:func:`register_report_menu_item` give reports their admin URLs and menu items.
"""

import django_filters
from django.db.models import Model, QuerySet
from django.urls import URLPattern, include, path, reverse
from django.utils.functional import cached_property
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.reports import ReportView
from wagtail.coreutils import multigetattr
from wagtail.models import Page, Site

from .admin_scope import explorable_pages, sees_every_portal, visible

# A spreadsheet runs a cell that starts with one of these as a formula ("CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """``value``, with text that a spreadsheet would run as a formula made plain text (a
    leading apostrophe); numbers and dates are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def visible_sites(user) -> list[Site]:
    """The portals whose home page ``user`` may explore (every one for a superuser)."""
    sites = Site.objects.select_related("root_page")
    if sees_every_portal(user):
        return list(sites.filter(root_page__depth__gt=1))
    homes = explorable_pages(user).filter(depth__gt=1).values("pk")
    return list(sites.filter(root_page__in=homes))


def site_name(site: Site) -> str:
    return site.site_name or site.hostname


class PortalReportMenuItem(MenuItem):
    """Shown to those who may explore a portal's pages (its editors and moderators)."""

    def is_shown(self, request) -> bool:
        return explorable_pages(request.user).filter(depth__gt=1).exists()


def report_paths(view: type[ReportView], name: str, route: str = "") -> list[URLPattern]:
    """A report's page at ``route`` (URL name ``name``) and its filtered results at
    ``route`` + ``results/`` (``name`` + ``_results``)."""
    return [
        path(route, view.as_view(), name=name),
        path(f"{route}results/", view.as_view(results_only=True), name=f"{name}_results"),
    ]


def register_report_urls(route: str, namespace: str, urls: list[URLPattern]) -> None:
    """Serve ``urls`` (e.g. :func:`report_paths`) in the admin at ``route``, as ``namespace``."""

    def admin_urls() -> list:
        return [path(route, include((urls, namespace), namespace=namespace))]

    hooks.register("register_admin_urls", admin_urls)


def register_report_menu_item(
    label: str,
    url_name: str,
    *,
    name: str,
    icon_name: str,
    order: int,
    item_class: type[MenuItem] = PortalReportMenuItem,
) -> None:
    """Put the report at ``url_name`` in the admin's Reports menu."""

    def menu_item() -> MenuItem:
        return item_class(label, reverse(url_name), name=name, icon_name=icon_name, order=order)

    hooks.register("register_reports_menu_item", menu_item)


class PortalFilterSet(WagtailFilterSet):
    """One of the user's portals, by its home page's path (for reports of pages)."""

    portal = django_filters.ChoiceFilter(
        label="Portal", method="filter_portal", empty_label="All your portals"
    )

    class Meta:
        model = Page
        fields: list[str] = []

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        sites = visible_sites(self.request.user)
        self.filters["portal"].extra["choices"] = [
            (site.root_page.path, site_name(site)) for site in sites
        ]

    def filter_portal(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(path__startswith=value) if value else queryset


class SiteFilterSet(WagtailFilterSet):
    """One of the user's portals, by site (for reports of rows with a ``site`` field).
    Subclasses set ``Meta.model`` and may add filters of their own."""

    portal = django_filters.ChoiceFilter(
        label="Portal", method="filter_portal", empty_label="All your portals"
    )

    class Meta:
        model = Site
        fields: list[str] = []

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.filters["portal"].extra["choices"] = [
            (str(site.pk), site_name(site)) for site in visible_sites(self.request.user)
        ]

    def filter_portal(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(site_id=value) if value else queryset


class CellsMixin:
    """Cells as Wagtail writes them (objects as their names), then neutralised; the
    ``portal`` column from :meth:`portal_of`. A report's ``index_results_url_name`` is its
    ``index_url_name`` + ``_results`` (as :func:`report_paths` names them)."""

    export_headings = {"portal": "Portal", "pk": "ID", "first_published_at": "First published"}
    header_icon = "download"

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        if "index_url_name" in cls.__dict__ and "index_results_url_name" not in cls.__dict__:
            cls.index_results_url_name = f"{cls.index_url_name}_results"

    def preprocess_field_value(self, field: str, value: object, export_format: str) -> object:
        return neutralise(super().preprocess_field_value(field, value, export_format))

    def portal_of(self, item: Model) -> str:
        raise NotImplementedError

    def to_row_dict(self, item: Model) -> dict:
        return {
            field: self.portal_of(item) if field == "portal" else multigetattr(item, field)
            for field in self.list_export
        }


class PortalRowsReport(CellsMixin, ReportView):
    """A report of one page type's rows, limited to the pages the user may explore."""

    model: type[Page]
    related: tuple[str, ...] = ()
    filterset_class = PortalFilterSet

    @cached_property
    def portal_names(self) -> list[tuple[str, str]]:
        """Each site's home path and name, the deepest first."""
        sites = Site.objects.select_related("root_page")
        names = [(site.root_page.path, site_name(site)) for site in sites]
        return sorted(names, key=lambda pair: -len(pair[0]))

    def portal_of(self, page: Page) -> str:
        return next((name for path, name in self.portal_names if page.path.startswith(path)), "")

    def get_queryset(self) -> QuerySet:
        rows = self.model.objects.select_related(*self.related).order_by("path")
        return visible(self.request.user, self.model, rows)


class SiteRowsReport(CellsMixin, ReportView):
    """A report of rows that belong to a portal through their ``site`` field, limited to
    the user's portals. Subclasses set ``model`` and ``ordering``, or override
    :meth:`get_rows` for aggregated rows (still filtered by ``site``)."""

    model: type[Model]
    related: tuple[str, ...] = ()
    ordering: tuple[str, ...] = ("pk",)
    filterset_class = SiteFilterSet

    @cached_property
    def sites(self) -> dict[int, str]:
        return {site.pk: site_name(site) for site in visible_sites(self.request.user)}

    def portal_of(self, item: Model) -> str:
        site_id = item["site_id"] if isinstance(item, dict) else item.site_id
        return self.sites.get(site_id, "")

    def get_rows(self) -> QuerySet:
        return self.model.objects.select_related(*self.related).order_by(*self.ordering)

    def get_queryset(self) -> QuerySet:
        return self.get_rows().filter(site_id__in=list(self.sites))
