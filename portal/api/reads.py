"""The read endpoints: a list and a detail for each resource, of the request's portal only."""

from functools import partial
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Query, Router
from ninja.decorators import decorate_view
from wagtail.models import Site

from portal.core.context import portal_site

from . import facets, paging, serialize
from .filters import ItemId
from .resources import RESOURCES, Resource
from .schemas import Problem, page_of
from .strict import refuse_unknown

ERRORS = {400: Problem, 404: Problem, 429: Problem}


def portal_of(request: HttpRequest) -> Site:
    """The portal the request's host serves; the hub has no data of its own."""
    site = portal_site(request)
    if site is None:
        raise Http404("No portal at this address.")
    return site


def add_resource(router: Router, resource: Resource) -> None:
    """``GET /<name>/`` and ``GET /<name>/{id}/`` of ``resource``."""
    noun = resource.noun

    @router.get(
        f"/{resource.name}/",
        response={200: page_of(resource.out), **ERRORS},
        operation_id=f"list_{resource.name}",
        url_name=f"{resource.name}-list",
        summary=f"List {resource.name}",
        tags=[resource.name],
    )
    @decorate_view(refuse_unknown)
    def list_items(request: HttpRequest, filters: Query[resource.filters]) -> dict[str, Any]:
        site = portal_of(request)
        links = serialize.Links(site)
        pages = facets.apply(resource, site, filters)
        give = partial(resource.give_row or resource.give, links=links, detail=False)
        return paging.page(request, pages, filters.limit, filters.offset, resource.load, give)

    @router.get(
        f"/{resource.name}/{{item_id}}/",
        response={200: resource.detail, **ERRORS},
        operation_id=f"get_{resource.name}",
        url_name=f"{resource.name}-detail",
        summary=f"One {noun}",
        tags=[resource.name],
    )
    @decorate_view(refuse_unknown)
    def get_item(request: HttpRequest, item_id: ItemId) -> dict[str, Any]:
        site = portal_of(request)
        prefetch = (*resource.prefetch, *resource.detail_prefetch)
        page = resource.shown(site).prefetch_related(*prefetch).filter(pk=item_id).first()
        if page is None:
            raise Http404(f"No such {noun}.")
        return resource.give(page, serialize.Links(site), True)


def read_router() -> Router:
    router = Router()
    for resource in RESOURCES:
        add_resource(router, resource)
    return router
