from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from portal.alerts import member_urls as alerts_member_urls
from portal.api import member_urls as api_member_urls
from portal.board import member_urls as board_member_urls
from portal.catalogue import member_urls as catalogue_member_urls
from portal.core import admin_scope
from portal.core.sections import section_types
from portal.leads import member_urls as leads_member_urls
from portal.members import urls as member_urls
from portal.plans import member_urls as plans_member_urls
from portal.syndication.feeds import SectionAtomFeed, SectionFeed
from portal.syndication.robots import robots_txt
from portal.syndication.sitemap import sitemap, sitemap_file
from portal.transfers import member_urls as transfers_member_urls
from portal.verification import member_urls as verification_member_urls

MEMBER_AREA = [
    *member_urls.urlpatterns,
    *board_member_urls.urlpatterns,
    *alerts_member_urls.urlpatterns,
    *api_member_urls.urlpatterns,
    *transfers_member_urls.urlpatterns,
    *verification_member_urls.urlpatterns,
    *plans_member_urls.urlpatterns,
    *catalogue_member_urls.urlpatterns,
    *leads_member_urls.urlpatterns,
]

urlpatterns = [
    # Wagtail views with no extension point to scope them to the user's portal: these shadow
    # Wagtail's routes of the same path (see portal.core.admin_scope).
    path(
        "admin/workflows/task_chooser/",
        admin_scope.task_chooser,
        name="admin_scope_task_chooser",
    ),
    path(
        "admin/workflows/task_chooser/results/",
        admin_scope.task_chooser_results,
        name="admin_scope_task_chooser_results",
    ),
    path(
        "admin/workflows/task_chooser/create/",
        admin_scope.task_chooser_create,
        name="admin_scope_task_chooser_create",
    ),
    path(
        "admin/workflows/task_chooser/<int:task_id>/",
        admin_scope.task_chosen,
        name="admin_scope_task_chosen",
    ),
    path(
        "admin/reports/workflow/",
        admin_scope.workflow_report,
        name="admin_scope_workflow_report",
    ),
    path(
        "admin/reports/workflow/results/",
        admin_scope.workflow_report_results,
        name="admin_scope_workflow_report_results",
    ),
    path(
        "admin/reports/workflow_tasks/",
        admin_scope.workflow_tasks_report,
        name="admin_scope_workflow_tasks_report",
    ),
    path(
        "admin/reports/workflow_tasks/results/",
        admin_scope.workflow_tasks_report_results,
        name="admin_scope_workflow_tasks_report_results",
    ),
    path(
        "admin/reports/site-history/",
        admin_scope.site_history_report,
        name="admin_scope_site_history_report",
    ),
    path(
        "admin/reports/site-history/results/",
        admin_scope.site_history_report_results,
        name="admin_scope_site_history_report_results",
    ),
    path(
        "admin/reports/page-types-usage/",
        admin_scope.page_types_usage_report,
        name="admin_scope_page_types_usage_report",
    ),
    path(
        "admin/reports/page-types-usage/results/",
        admin_scope.page_types_usage_report_results,
        name="admin_scope_page_types_usage_report_results",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, name="sitemap"),
    # The files of the sitemap index: the pages outside sections, and each section's;
    # ``.2.xml``, ``.3.xml``... past the protocol's 50,000 URLs a file.
    re_path(
        r"^sitemap-pages(?:\.(?P<number>[2-9]|[1-9]\d+))?\.xml$", sitemap_file, name="sitemap_pages"
    ),
    re_path(
        r"^sitemaps/(?P<slug>[-\w]+)(?:\.(?P<number>[2-9]|[1-9]\d+))?\.xml$",
        sitemap_file,
        name="sitemap_section",
    ),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("feeds/<slug:slug>/rss.xml", SectionFeed(), name="feed_rss"),
    path("feeds/<slug:slug>/atom.xml", SectionAtomFeed(), name="feed_atom"),
    # A filter's feed (category/<slug>/, region/<code>/...) or a page's (a company's): 404
    # for anything the section does not list.
    path("feeds/<slug:slug>/<path:suffix>atom.xml", SectionAtomFeed(), name="feed_atom_page"),
    path("accounts/", include("allauth.urls")),
    # The member area: the members' own pages and the board's, in one namespace.
    path("members/", include((MEMBER_AREA, "members"))),
    path("market/", include("portal.board.urls")),
    path("search/", include("search.urls")),
    path("alerts/", include("portal.alerts.urls")),
    path("api/", include("portal.api.urls")),
    path("sponsored/", include("portal.sponsored.urls")),
    path("enquiries/", include("portal.leads.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# What section types serve beside their pages (downloads...), then every page.
urlpatterns += [path("", include(entry.urls)) for entry in section_types() if entry.urls]
urlpatterns += [path("", include(wagtail_urls))]

handler404 = "portal.core.views.page_not_found"
handler500 = "portal.core.views.server_error"
