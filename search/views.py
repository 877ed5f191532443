"""The search page of each portal (and of the hub, across portals) and its autocomplete."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from wagtail import hooks
from wagtail.models import Site

from portal.core.context import portal_site
from portal.core.models import PortalHomePage
from portal.defences.limits import rate_limited
from portal.rendering import is_static

from . import health, results
from .configured import database_engine, get_engine
from .engines import EngineUnavailable
from .labels import type_nouns
from .models import SearchDocument
from .params import parse_query
from .query import clean_text

AUTOCOMPLETE_LIMIT = 8
# Wagtail hooks ``(request, context)`` that add to the search page's context (sponsored slots).
SEARCH_PAGE_CONTEXT_HOOK = "search_page_context"


def extended(request: HttpRequest, context: dict) -> dict:
    """``context`` with what the ``search_page_context`` hooks add."""
    for extend in hooks.get_hooks(SEARCH_PAGE_CONTEXT_HOOK):
        extend(request, context)
    return context


def scope(request: HttpRequest) -> tuple[Site | None, list[str]]:
    """The portal serving the request and the portals it searches (all of them on the hub)."""
    site = portal_site(request)
    if site is not None:
        return site, [site.root_page.specific.industry_slug]
    return None, list(PortalHomePage.objects.live().values_list("industry_slug", flat=True))


@require_GET
@rate_limited("search", method="GET")
def search(request: HttpRequest) -> HttpResponse:
    if is_static(request):  # the static copy searches in the browser (Pagefind)
        return render(request, "search/static.html", extended(request, {}))
    site, portals = scope(request)
    query = parse_query(request.GET, portals, site)
    page = results.run(query)
    context = {"search": page, "is_hub": site is None, "type_names": type_nouns()}
    extended(request, context)
    response = render(request, "search/results.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
@rate_limited("suggest", method="GET")
def suggest(request: HttpRequest) -> JsonResponse:
    """``[{"title": …, "url": …}]`` for the first letters a visitor typed."""
    _, portals = scope(request)
    text = clean_text(request.GET.get("q", ""))[:60]
    if len(text) < 2:
        return JsonResponse({"results": []})
    engine = database_engine() if health.is_down() else get_engine()
    try:
        ids = engine.autocomplete(text, tuple(portals), AUTOCOMPLETE_LIMIT)
    except EngineUnavailable:
        health.mark_down()
        ids = database_engine().autocomplete(text, tuple(portals), AUTOCOMPLETE_LIMIT)
    docs = SearchDocument.objects.in_bulk(ids)
    nouns = type_nouns()
    items = [
        {"title": docs[pk].title, "url": docs[pk].url, "type": nouns.get(docs[pk].doc_type, "")}
        for pk in ids
        if pk in docs
    ]
    return JsonResponse({"results": items})
