"""One page of a list: ``count``, links to the ``next`` and ``previous`` pages, ``results``."""

from collections.abc import Callable
from typing import Any

from django.db import models
from django.http import HttpRequest


def _link(request: HttpRequest, offset: int) -> str:
    query = request.GET.copy()
    query["offset"] = str(offset)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def page(
    request: HttpRequest,
    queryset: models.QuerySet,
    limit: int,
    offset: int,
    load: Callable[[list[int]], dict[int, Any]],
    give: Callable[[Any], dict[str, Any]],
) -> dict[str, Any]:
    """The page of ``queryset`` at ``offset``: the ids are sorted first (narrow rows), then
    ``load`` fetches those items, each given by ``give``."""
    count = queryset.count()
    ids = (
        list(queryset.values_list("pk", flat=True)[offset : offset + limit])
        if offset < count
        else []
    )
    items = load(ids) if ids else {}
    return {
        "count": count,
        "next": _link(request, offset + limit) if offset + limit < count else None,
        "previous": _link(request, max(offset - limit, 0)) if offset > 0 else None,
        "results": [give(items[pk]) for pk in ids if pk in items],
    }
