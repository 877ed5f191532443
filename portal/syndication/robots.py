"""``robots.txt``: what crawlers may visit, and where the sitemap is."""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from wagtail.models import Site


def robots_txt(request: HttpRequest) -> HttpResponse:
    # The portal's own address, not the request's Host: caches share this file.
    site = Site.find_for_request(request)
    sitemap_url = (site.root_url if site else f"{request.scheme}://{request.get_host()}") + reverse(
        "sitemap"
    )
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /documents/",
        "Disallow: /accounts/",
        "Disallow: /members/",
        "Disallow: /market/",
        "Disallow: /search/",
        "",
        f"Sitemap: {sitemap_url}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain")
