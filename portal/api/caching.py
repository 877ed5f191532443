"""What caches may do with API answers, and conditional requests.

Public reads are the same for everyone: ``Cache-Control: public`` for a short time, with a
strong ``ETag`` (a digest of the body) that ``If-None-Match`` answers with a 304. A request
with a token, and every write, is a member's own: ``private, no-store``, so no cache (the
app's page cache, Varnish, a proxy) keeps or shares it.
"""

import hashlib

from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control

PUBLIC_SECONDS = 60


def personal(request: HttpRequest) -> bool:
    return request.method not in ("GET", "HEAD") or "Authorization" in request.headers


def finish(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Cache headers for ``response``; a 304 instead when the client has it already."""
    if personal(request):
        patch_cache_control(response, private=True, no_store=True)
        return response
    if response.status_code not in (200, 404):
        patch_cache_control(response, no_store=True)
        return response
    patch_cache_control(response, public=True, max_age=PUBLIC_SECONDS)
    if response.status_code != 200:
        return response
    response["ETag"] = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
    return get_conditional_response(request, etag=response["ETag"], response=response)
