"""Members-only market reports, through Wagtail's own privacy.

A report is kept for members by a page view restriction ("private, for users in specific
groups": the portal's members group). Wagtail refuses the page to everyone else; here:

- :func:`teaser_for` answers a visitor who may not read a report with its title and summary
  and the way in (sign in, join), instead of a bare redirect to the sign-in page;
- :func:`document_refusal` refuses a document attached to reports the visitor may not read,
  whatever collection it was uploaded to (Wagtail checks only the collection's privacy).

The launcher gives each portal a members-only collection (below its media collection, kept
for its members group, editors and moderators): :func:`members_only_collection` finds it.
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from wagtail.models import BaseViewRestriction, Collection, CollectionViewRestriction

from themes.registry import theme_template

from .models import NewsArticlePage

# Restrictions a visitor meets by signing in (and joining); a password is Wagtail's own form.
MEMBER_RESTRICTIONS = (BaseViewRestriction.LOGIN, BaseViewRestriction.GROUPS)
TEASER_TEMPLATE = "news/members_only.html"


def unmet_restrictions(page: NewsArticlePage, request: HttpRequest) -> list:
    """The view restrictions of ``page`` (and its ancestors) ``request`` does not pass."""
    return [r for r in page.get_view_restrictions() if not r.accept_request(request)]


def teaser_for(page: NewsArticlePage, request: HttpRequest) -> HttpResponse | None:
    """A members-only report's teaser (403, never kept by any cache) for a visitor who may not
    read it; None when they may, or when the page is not such a report."""
    if not page.is_report:
        return None
    unmet = unmet_restrictions(page, request)
    if not unmet or any(r.restriction_type not in MEMBER_RESTRICTIONS for r in unmet):
        return None
    context = page.get_context(request)
    context["signed_in"] = request.user.is_authenticated
    template = theme_template(page.theme, [TEASER_TEMPLATE])
    response = TemplateResponse(request, template, context, status=403)
    add_never_cache_headers(response)
    return response


def document_refusal(document, request: HttpRequest) -> HttpResponse | None:
    """A refusal when ``document`` belongs to reports ``request`` may not read: only attached
    to restricted reports, and passing the restrictions of none of them. Anonymous visitors are
    sent to sign in; anyone else signed in gets a 403."""
    pages = list(NewsArticlePage.objects.filter(report_documents__document=document).distinct())
    restricted = [page for page in pages if page.get_view_restrictions()]
    if not restricted:
        return None
    if any(page.live and page not in restricted for page in pages):
        return None  # also attached to a public report: anyone may have it
    if any(not unmet_restrictions(page, request) for page in restricted):
        return None
    if request.user.is_authenticated:
        response = HttpResponseForbidden("This document is for members only.")
    else:
        response = redirect_to_login(request.get_full_path(), settings.WAGTAIL_FRONTEND_LOGIN_URL)
    add_never_cache_headers(response)
    return response


def members_only_collection(collection: Collection | None) -> tuple[Collection, list[Group]]:
    """The collection for members-only documents below a portal's media ``collection``, and
    the groups it is kept for (who members-only reports are kept for too); the portal's own
    collection and no groups when it has none."""
    if collection is None:
        return Collection.get_first_root_node(), []
    restriction = (
        CollectionViewRestriction.objects.filter(
            collection__in=collection.get_children(),
            restriction_type=CollectionViewRestriction.GROUPS,
        )
        .select_related("collection")
        .order_by("collection__path")
        .first()
    )
    if restriction is None:
        return collection, []
    return restriction.collection, list(restriction.groups.all())
