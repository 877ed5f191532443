import csv

from django.http import Http404, HttpRequest, HttpResponse

from portal.core.context import portal_site

from .models import NoticeIndexPage


def download(request: HttpRequest, section: str) -> HttpResponse:
    """Every current notice of a notices section, as CSV: a file the section type adds to the
    live site and to the static copy."""
    site = portal_site(request)
    sections = NoticeIndexPage.objects.live().public().filter(slug=section)
    index = sections.child_of(site.root_page).first() if site is not None else None
    if index is None:
        raise Http404("No notices here")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    writer = csv.writer(response)
    writer.writerow(["title", "category", "url"])
    for notice in index.listings().select_related("category"):
        writer.writerow([notice.title, notice.category.name, notice.full_url])
    return response
