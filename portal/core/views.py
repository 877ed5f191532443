"""Site-wide views that are not pages: robots.txt and the themed 404."""

from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.urls import reverse
from wagtail.models import Site

from themes.registry import get_template

from .models import PortalSettings


def robots_txt(request: HttpRequest) -> HttpResponse:
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /documents/",
        "",
        f"Sitemap: {sitemap_url}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    site = Site.find_for_request(request)
    settings = PortalSettings.for_site(site) if site else None
    template = get_template(settings.theme if settings else "base", "404.html")
    context = {"portal": settings, "portal_root": site.root_page if site else None, "page": None}
    return HttpResponseNotFound(template.render(context, request))
