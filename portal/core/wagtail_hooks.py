"""Admin hooks that keep each portal's editors inside their own portal."""

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from wagtail import hooks
from wagtail.models import Page


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
