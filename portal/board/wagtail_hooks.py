"""The board's Wagtail hooks: inquiries in the admin (read-only, and each portal's only to that
portal's moderators), and what the board adds to pages (see ``page_context.py``)."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from wagtail import hooks
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from portal.core.models import PAGE_CONTEXT_HOOK, PortalSettings

from .models import Inquiry
from .page_context import board_context, company_context, listing_context, serve_gone

hooks.register(PAGE_CONTEXT_HOOK, board_context)
hooks.register(PAGE_CONTEXT_HOOK, listing_context)
hooks.register(PAGE_CONTEXT_HOOK, company_context)
hooks.register("before_serve_page", serve_gone)


def moderated_site_ids(user) -> list[int] | None:
    """Sites whose moderators group ``user`` is in; None means every site (superuser)."""
    if user.is_superuser:
        return None
    return list(
        PortalSettings.objects.filter(moderators_group__in=user.groups.all()).values_list(
            "site_id", flat=True
        )
    )


def visible_inquiries(user) -> QuerySet:
    sites = moderated_site_ids(user)
    queryset = Inquiry.objects.select_related("listing", "site")
    return queryset if sites is None else queryset.filter(site_id__in=sites)


class InquiryIndexView(generic.IndexView):
    def get_base_queryset(self) -> QuerySet:
        return visible_inquiries(self.request.user)


class InquiryInspectView(generic.InspectView):
    def get_object(self, queryset=None) -> Inquiry:
        return get_object_or_404(visible_inquiries(self.request.user), pk=self.pk)


class InquiryViewSet(ModelViewSet):
    model = Inquiry
    icon = "mail"
    menu_label = "Inquiries"
    add_to_admin_menu = True
    menu_order = 300
    inspect_view_enabled = True
    copy_view_enabled = False
    index_view_class = InquiryIndexView
    inspect_view_class = InquiryInspectView
    list_display = ["name", "listing", "site", "created_at", "relayed_at"]
    list_filter = ["created_at"]
    search_fields = ["name", "company", "message"]
    form_fields = ["name", "company", "message"]  # superusers may redact; moderators only read
    inspect_view_fields = [
        "listing",
        "site",
        "name",
        "email",
        "company",
        "quantity",
        "message",
        "created_at",
        "relayed_at",
    ]


@hooks.register("register_admin_viewset")
def register_inquiry_viewset() -> InquiryViewSet:
    return InquiryViewSet("inquiries")
