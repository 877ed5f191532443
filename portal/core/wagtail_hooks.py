"""Admin hooks that keep each portal's editors inside their own portal."""

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from wagtail import hooks
from wagtail.models import Page

from . import admin_scope

# Registered after Wagtail's own hooks (order 1), so that what is registered here replaces
# Wagtail's media API endpoints, bulk actions and base page viewset (see ``admin_scope``).
AFTER_WAGTAIL = 1


def pages_visible_to(user, pages: QuerySet) -> QuerySet:
    """Pages under the ones the user's groups have permissions on, and their ancestors."""
    if user.is_superuser:
        return pages
    roots = Page.objects.filter(group_permissions__group__user=user).distinct()
    visible = Q(pk__in=[])
    for root in roots:
        visible |= Q(path__startswith=root.path) | Q(pk__in=root.get_ancestors())
    return pages.filter(visible)


@hooks.register("construct_page_chooser_queryset")
def only_own_portal_in_page_chooser(pages: QuerySet, request: HttpRequest) -> QuerySet:
    """Wagtail's page chooser lists every page; an editor must not browse other portals."""
    return pages_visible_to(request.user, pages)


hooks.register("construct_admin_api", admin_scope.scope_admin_api, order=AFTER_WAGTAIL)
for action in admin_scope.SCOPED_BULK_ACTIONS:
    hooks.register("register_bulk_action", action, order=AFTER_WAGTAIL)


@hooks.register("register_admin_viewset", order=AFTER_WAGTAIL)
def scoped_page_viewset() -> admin_scope.ScopedPageViewSet:
    """Every page type's admin views, with the move and workflow confirmations and the
    listing filters limited to what the user may see."""
    return admin_scope.ScopedPageViewSet()
