"""Keeping each portal's staff inside their portal in Wagtail's admin.

Wagtail limits what editors may *change* by page and collection permissions, but a few admin
views show objects before (or without) checking them: the admin API's media endpoints, the
bulk actions' confirmation pages, the move confirmation, the cancel-workflow confirmation, the
task chooser, the owner, editor and site filters of the page listings, and the filters of the
workflow, workflow tasks, site history and page types usage reports (with the latter's counts
and last edited pages). Here each of them is limited to what the user may see: pages the user
may explore (Wagtail's page permission policy: pages under their permissions and the ancestors
of those), media in collections the user has any permission on. Superusers see everything, as
before.

``tests/test_permission_matrix.py`` asks every admin URL with another portal's objects.
"""

from collections.abc import Callable
from functools import wraps

import django_filters
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Count, F, Model, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast
from django.forms import CheckboxSelectMultiple
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.admin.filters import FilteredModelChoiceFilter, MultipleUserFilter
from wagtail.admin.views import workflows
from wagtail.admin.views.bulk_action import BulkAction
from wagtail.admin.views.pages import bulk_actions as page_actions
from wagtail.admin.views.pages.listing import EditedByFilter, GenericPageFilterSet, SiteFilter
from wagtail.admin.views.pages.move import MoveConfirmView
from wagtail.admin.views.pages.workflow import ConfirmWorkflowCancellationView
from wagtail.admin.views.reports import audit_logging, page_types_usage
from wagtail.admin.views.reports import workflows as workflow_reports
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
from wagtail.models import (
    Page,
    PageLogEntry,
    Site,
    Task,
    Workflow,
    WorkflowState,
    get_default_page_content_type,
)
from wagtail.permission_policies.collections import (
    CollectionOwnershipPermissionPolicy,
    CollectionPermissionPolicy,
)
from wagtail.permissions import policy_registry

MEDIA_ACTIONS = ("add", "change", "delete", "choose")


# What a user may see -------------------------------------------------------------------------


def sees_every_portal(user) -> bool:
    """Superusers see every portal's objects, as in Wagtail."""
    return bool(user is not None and user.is_active and user.is_superuser)


def explorable_pages(user) -> QuerySet:
    """The pages ``user`` may explore in the admin: every page for a superuser."""
    return policy_registry.get_by_type(Page).explorable_instances(user)


def visible(user, model: type[Model], objects: QuerySet) -> QuerySet:
    """``objects`` less what ``user`` may not see: pages outside the explorable ones, media
    outside the collections the user has any permission on. Other models are left as they are
    (their own views check them)."""
    if sees_every_portal(user):
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


def admin_view(view: Callable) -> Callable:
    """``view`` served as Wagtail serves its admin URLs: to admin users, never cached. For the
    views ``portal/urls.py`` puts in place of Wagtail's."""
    return require_admin_access(never_cache(view))


@admin_view
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

    @admin_view
    @wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not manages_workflows(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return guarded


task_chooser = for_workflow_managers(workflows.TaskChooserView.as_view())
task_chooser_results = for_workflow_managers(workflows.TaskChooserResultsView.as_view())
task_chooser_create = for_workflow_managers(workflows.TaskChooserCreateView.as_view())


# Reports --------------------------------------------------------------------------------------
# Their rows are limited to what the user may edit or view, but not their filters' choices.


def _unscoped(request: HttpRequest | None) -> bool:
    """Whether a report shows everything, as Wagtail's does: to a superuser (or no user)."""
    user = getattr(request, "user", None)
    return user is None or sees_every_portal(user)


def _page_workflow_states(user) -> QuerySet:
    """The workflow states of pages ``user`` may explore (their object ids are strings)."""
    page_ids = explorable_pages(user).values_list(Cast("pk", output_field=CharField()), flat=True)
    return WorkflowState.objects.filter(
        base_content_type=get_default_page_content_type(), object_id__in=page_ids
    )


def _requesters(request: HttpRequest) -> QuerySet:
    """Who submitted the user's pages for moderation."""
    if _unscoped(request):
        return workflow_reports.get_requested_by_queryset(request)
    User = get_user_model()
    states = _page_workflow_states(request.user).order_by()
    return User.objects.filter(pk__in=states.values("requested_by_id")).order_by(
        User.USERNAME_FIELD
    )


def _workflows(request: HttpRequest) -> QuerySet:
    """The workflows on the user's pages, or that their pages went through."""
    if _unscoped(request):
        return Workflow.objects.all()
    user = request.user
    return Workflow.objects.filter(
        Q(workflow_pages__page__in=explorable_pages(user).values("pk"))
        | Q(pk__in=_page_workflow_states(user).order_by().values("workflow_id"))
    ).distinct()


def _tasks(request: HttpRequest) -> QuerySet:
    """The tasks of those workflows, or that the user's pages went through."""
    if _unscoped(request):
        return Task.objects.all()
    states = _page_workflow_states(request.user).order_by()
    return Task.objects.filter(
        Q(workflow_tasks__workflow__in=_workflows(request).values("pk"))
        | Q(task_states__workflow_state__in=states.values("pk"))
    ).distinct()


class ScopedWorkflowReportFilterSet(workflow_reports.WorkflowReportFilterSet):
    """The requesters and workflows of the user's pages only."""

    workflow = django_filters.ModelChoiceFilter(label=_("Workflow"), queryset=_workflows)
    requested_by = django_filters.ModelChoiceFilter(field_name="requested_by", queryset=_requesters)


class ScopedWorkflowTasksReportFilterSet(workflow_reports.WorkflowTasksReportFilterSet):
    """The workflows and tasks of the user's pages only."""

    workflow = django_filters.ModelChoiceFilter(
        field_name="workflow_state__workflow", queryset=_workflows, label=_("Workflow")
    )
    task = FilteredModelChoiceFilter(
        queryset=_tasks, filter_field="id_workflow", filter_accessor="workflows"
    )


class ScopedWorkflowView(workflow_reports.WorkflowView):
    filterset_class = ScopedWorkflowReportFilterSet


class ScopedWorkflowTasksView(workflow_reports.WorkflowTasksView):
    filterset_class = ScopedWorkflowTasksReportFilterSet


class ScopedSiteHistoryReportFilterSet(audit_logging.SiteHistoryReportFilterSet):
    """Wagtail's user filter offers the author of every page log entry of the install: only
    the authors of log entries the report shows the user are offered."""

    def get_users_queryset(self) -> QuerySet:
        if _unscoped(self.request):
            return super().get_users_queryset()
        return audit_logging.get_users_for_filter(self.request.user)


class ScopedLogEntriesView(audit_logging.LogEntriesView):
    filterset_class = ScopedSiteHistoryReportFilterSet


class ScopedPageTypesUsageReportFilterSet(page_types_usage.PageTypesUsageReportFilterSet):
    """The sites whose root page the user may explore."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if _unscoped(self.request):
            return
        sites = _sites(self.request).select_related("root_page")
        self.sites = {site.pk: site for site in sites}
        if len(self.sites) > 1:
            choices = [(site.root_page.path, str(site)) for site in self.sites.values()]
            self.filters["site"].extra["choices"] = choices
        else:
            self.sites_filter_enabled = False
            self.filters.pop("site", None)


class ScopedPageTypesUsageReportView(page_types_usage.PageTypesUsageReportView):
    """Each page type's count and last edited page among the pages the user may explore (Wagtail
    counts every portal's and names the last edited page anywhere)."""

    filterset_class = ScopedPageTypesUsageReportFilterSet

    def get_queryset(self) -> QuerySet:
        if _unscoped(self.request):
            return super().get_queryset()
        queryset = ContentType.objects.filter(model__in=self.page_models)
        page_type = ContentType.objects.get_for_model(Page)
        if not Page.objects.filter(depth__gt=1, content_type=page_type).exists():
            queryset = queryset.exclude(id=page_type.id)
        self.queryset = queryset
        queryset = self.filter_queryset(queryset)

        cleaned = self.filters.form.cleaned_data if self.filters else {}
        pages = {"pk__in": explorable_pages(self.request.user).values("pk")}
        if language_code := cleaned.get("page_locale"):
            pages["locale__language_code"] = language_code
        if site_root_path := cleaned.get("site"):
            pages["path__startswith"] = site_root_path
        latest = Page.objects.filter(content_type=OuterRef("pk"), **pages).order_by(
            F("latest_revision_created_at").desc(nulls_last=True), "title", "-pk"
        )
        return queryset.annotate(
            count=Count("pages", filter=Q(**{f"pages__{key}": v for key, v in pages.items()})),
            last_edited_page_id=Subquery(latest.values("pk")[:1]),
        ).order_by("-count", "app_label", "model")


def _report(view: type, **initkwargs) -> Callable:
    """A scoped report view, as Wagtail's admin URLs serve theirs; shadows Wagtail's in
    ``portal/urls.py``."""
    return admin_view(view.as_view(**initkwargs))


workflow_report = _report(ScopedWorkflowView)
workflow_report_results = _report(ScopedWorkflowView, results_only=True)
workflow_tasks_report = _report(ScopedWorkflowTasksView)
workflow_tasks_report_results = _report(ScopedWorkflowTasksView, results_only=True)
site_history_report = _report(ScopedLogEntriesView)
site_history_report_results = _report(ScopedLogEntriesView, results_only=True)
page_types_usage_report = _report(ScopedPageTypesUsageReportView)
page_types_usage_report_results = _report(ScopedPageTypesUsageReportView, results_only=True)
