"""Site-wide views that are not pages: robots.txt, and the themed 404 and 429."""

from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.template.loader import render_to_string
from django.urls import reverse


def robots_txt(request: HttpRequest) -> HttpResponse:
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
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


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return HttpResponseNotFound(render_to_string("errors/404.html", request=request))


def too_many_requests(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """What a rate-limited visitor sees: a themed page that says when to come back."""
    response = HttpResponse(render_to_string("errors/429.html", request=request), status=429)
    response["Retry-After"] = "3600"
    return response
