"""Query parameters an endpoint does not know are refused with a 400 that names them, rather
than ignored (a misspelt filter would otherwise look like an answer)."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja.errors import Throttled
from ninja.params.models import QueryModel

from .errors import BadParameter
from .limits import wait_for
from .tokens import bearer, digest


def known_parameters(operation: Any) -> set[str]:
    """The query parameters an operation declares."""
    names: set[str] = set()
    for model in operation.models:
        if issubclass(model, QueryModel):
            names |= set(getattr(model, "__ninja_flatten_map__", None) or model.model_fields)
    return names


def refuse_unknown(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For ``ninja.decorators.decorate_view``: wraps an operation's ``run``."""
    operation = run.__self__  # type: ignore[attr-defined]

    @wraps(run)
    def checked(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        known = known_parameters(operation)
        unknown = sorted(set(request.GET) - known)
        if not unknown:
            return run(request, **kwargs)
        # Refused before the operation's own checks, but counted like any request.
        token = bearer(request)
        wait = wait_for(request, "api", digest(token) if token else "")
        if wait is not None:
            return operation.api.on_exception(request, Throttled(wait=wait))
        error = BadParameter(unknown[0], f"Unknown query parameter {unknown[0]!r}.")
        return operation.api.on_exception(request, error)

    return checked
