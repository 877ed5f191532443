"""Keeping each portal's staff inside their portal in Wagtail's admin.

Wagtail limits what editors may *change* by page and collection permissions, but a few admin
views show objects before (or without) checking them: the admin API's media endpoints, the
bulk actions' confirmation pages, the move confirmation, the cancel-workflow confirmation, the
task chooser, and the owner, editor and site filters of the page listings. Here each of them is
limited to what the user may see: pages the user may explore (Wagtail's page permission
policy: pages under their permissions and the ancestors of those), media in collections the
user has any permission on. Superusers see everything, as before.

``tests/test_permission_matrix.py`` asks every admin URL with another portal's objects.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.forms import CheckboxSelectMultiple
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.admin.filters import MultipleUserFilter
from wagtail.admin.views import workflows
from wagtail.admin.views.bulk_action import BulkAction
from wagtail.admin.views.pages import bulk_actions as page_actions
from wagtail.admin.views.pages.listing import EditedByFilter, GenericPageFilterSet, SiteFilter
from wagtail.admin.views.pages.move import MoveConfirmView
from wagtail.admin.views.pages.workflow import ConfirmWorkflowCancellationView
from wagtail.admin.views.workflows import get_task_chosen_response
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.documents.views.bulk_actions import add_tags as document_tags
from wagtail.documents.views.bulk_actions import add_to_collection as document_collection
from wagtail.documents.views.bulk_actions import delete as document_delete
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.images.views.bulk_actions import add_tags as image_tags
from wagtail.images.views.bulk_actions import add_to_collection as image_collection
from wagtail.images.views.bulk_actions import delete as image_delete
from wagtail.models import Page, PageLogEntry, Site, Task, Workflow
from wagtail.permission_policies.collections import (
    CollectionOwnershipPermissionPolicy,
    CollectionPermissionPolicy,
)
from wagtail.permissions import policy_registry

MEDIA_ACTIONS = ("add", "change", "delete", "choose")


# What a user may see -------------------------------------------------------------------------


def explorable_pages(user) -> QuerySet:
    """The pages ``user`` may explore in the admin: every page for a superuser."""
    return policy_registry.get_by_type(Page).explorable_instances(user)


def visible(user, model: type[Model], objects: QuerySet) -> QuerySet:
    """``objects`` less what ``user`` may not see: pages outside the explorable ones, media
    outside the collections the user has any permission on. Other models are left as they are
    (their own views check them)."""
    if user.is_active and user.is_superuser:
        return objects
    if issubclass(model, Page):
        return objects.filter(pk__in=explorable_pages(user).values("pk"))
    policy = policy_registry.get_by_type(model)
    if isinstance(policy, CollectionPermissionPolicy | CollectionOwnershipPermissionPolicy):
        collections = policy.collections_user_has_any_permission_for(user, MEDIA_ACTIONS)
        return objects.filter(collection__in=collections)
    return objects


# The admin API --------------------------------------------------------------------------------


class ScopedImagesAdminAPIViewSet(ImagesAdminAPIViewSet):
    """Wagtail's endpoint serves every image (less privacy-restricted collections)."""

    def get_queryset(self) -> QuerySet:
        return visible(self.request.user, self.model, super().get_queryset())


class ScopedDocumentsAdminAPIViewSet(DocumentsAdminAPIViewSet):
    """Wagtail's endpoint serves every document (less privacy-restricted collections)."""

    def get_queryset(self) -> QuerySet:
        return visible(self.request.user, self.model, super().get_queryset())


def scope_admin_api(router) -> None:
    """Replace the media endpoints Wagtail registered (``construct_admin_api``, run after it)."""
    router.register_endpoint("images", ScopedImagesAdminAPIViewSet)
    router.register_endpoint("documents", ScopedDocumentsAdminAPIViewSet)


# Bulk actions ---------------------------------------------------------------------------------


class ScopedBulkAction(BulkAction):
    """A bulk action's confirmation page lists the chosen objects the user may not act on by
    title ("You don't have permission to…"), whoever's they are: only objects the user may see
    are named, and a request naming none of them is a 404."""

    def get_actionable_objects(self) -> tuple[list, dict]:
        objects, context = super().get_actionable_objects()
        refused = context["items_with_no_access"]
        shown = set(
            visible(
                self.request.user,
                self.model,
                self.model.objects.filter(pk__in=[item.pk for item in refused]),
            ).values_list("pk", flat=True)
        )
        context["items_with_no_access"] = [item for item in refused if item.pk in shown]
        if not objects and not context["items_with_no_access"]:
            raise Http404
        return objects, context


def _scoped(action: type[BulkAction]) -> type[BulkAction]:
    return type(action.__name__, (ScopedBulkAction, action), {"__module__": __name__})


# Registered after Wagtail's, so they replace them (same models, same action types).
SCOPED_BULK_ACTIONS = [
    _scoped(action)
    for action in (
        page_actions.delete.DeleteBulkAction,
        page_actions.move.MoveBulkAction,
        page_actions.publish.PublishBulkAction,
        page_actions.unpublish.UnpublishBulkAction,
        image_tags.AddTagsBulkAction,
        image_collection.AddToCollectionBulkAction,
        image_delete.DeleteBulkAction,
        document_tags.AddTagsBulkAction,
        document_collection.AddToCollectionBulkAction,
        document_delete.DeleteBulkAction,
    )
]


# Page views -----------------------------------------------------------------------------------


def _owners(request: HttpRequest) -> QuerySet:
    pages = explorable_pages(request.user).order_by()
    return get_user_model().objects.filter(pk__in=pages.values("owner_id"))


def _editors(request: HttpRequest) -> QuerySet:
    edits = PageLogEntry.objects.filter(
        action="wagtail.edit", page__in=explorable_pages(request.user).values("pk")
    ).order_by()
    return get_user_model().objects.filter(pk__in=edits.values("user_id"))


def _sites(request: HttpRequest) -> QuerySet:
    return Site.objects.filter(root_page__in=explorable_pages(request.user).values("pk"))


class ScopedPageFilterSet(GenericPageFilterSet):
    """Wagtail's page listing filters offer every page owner, every editor and every site of
    the install (the explorer, a page type's usage report): only those of pages the user may
    explore are offered."""

    owner = MultipleUserFilter(label=_("Owner"), queryset=_owners, widget=CheckboxSelectMultiple)
    edited_by = EditedByFilter(
        label=_("Edited by"), queryset=_editors, widget=CheckboxSelectMultiple
    )
    site = SiteFilter(label=_("Site"), queryset=_sites, widget=CheckboxSelectMultiple)


class ScopedMoveConfirmView(MoveConfirmView):
    """Wagtail checks the move only when it is made (the ``before_move_page`` hook runs after a
    slug check whose message names the page): the confirmation showed any page and
    destination."""

    def dispatch(self, request: HttpRequest, page_to_move_id: int, destination_id: int, **kwargs):
        page = get_object_or_404(Page, id=page_to_move_id)
        destination = get_object_or_404(Page, id=destination_id)
        if not page.permissions_for_user(request.user).can_move_to(destination):
            raise PermissionDenied
        return super().dispatch(request, page_to_move_id, destination_id, **kwargs)


class ScopedConfirmWorkflowCancellationView(ConfirmWorkflowCancellationView):
    """Wagtail shows any page's workflow and task names without a permission check."""

    def dispatch(self, request: HttpRequest, *args, **kwargs):
        if not self.object.permissions_for_user(request.user).can_edit():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ScopedPageViewSet(PageViewSet):
    """Wagtail's views for every page type, with the scoped views above. Registered after
    Wagtail's own base viewset for ``Page``, which it replaces."""

    filterset_class = ScopedPageFilterSet
    move_confirm_view_class = ScopedMoveConfirmView
    confirm_workflow_cancellation_view_class = ScopedConfirmWorkflowCancellationView


# Workflow tasks -------------------------------------------------------------------------------


def manages_workflows(user) -> bool:
    """Whether ``user`` may create or edit workflows (the only forms with a task chooser)."""
    return policy_registry.get_by_type(Workflow).user_has_any_permission(user, ["add", "change"])


def may_choose_task(user, task: Task) -> bool:
    """Whether ``user`` may see ``task`` in the task chooser: anyone who manages workflows, or a
    task of a workflow on a page the user may explore (their portal's)."""
    if manages_workflows(user):
        return True
    return Task.objects.filter(
        pk=task.pk,
        workflow_tasks__workflow__workflow_pages__page__in=explorable_pages(user).values("pk"),
    ).exists()


@require_admin_access
@never_cache
def task_chosen(request: HttpRequest, task_id: int) -> HttpResponse:
    """Wagtail's ``task_chosen`` answers any task's name and edit URL to anyone in the admin;
    shadows it in ``portal/urls.py``."""
    task = get_object_or_404(Task, id=task_id)
    if not may_choose_task(request.user, task):
        raise PermissionDenied
    return get_task_chosen_response(request, task)


def for_workflow_managers(view: Callable) -> Callable:
    """``view`` (one of Wagtail's task chooser views, which list every portal's tasks to anyone
    in the admin) for those who manage workflows only; shadows it in ``portal/urls.py``."""

    @require_admin_access
    @never_cache
    @wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not manages_workflows(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return guarded


task_chooser = for_workflow_managers(workflows.TaskChooserView.as_view())
task_chooser_results = for_workflow_managers(workflows.TaskChooserResultsView.as_view())
task_chooser_create = for_workflow_managers(workflows.TaskChooserCreateView.as_view())
