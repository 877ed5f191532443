"""The editors' admin of sponsorships and house ads, scoped per portal: the index lists the
user's portals' only, and every URL naming another portal's item answers 404."""

from django.db.models import QuerySet
from wagtail.admin.views import generic

from portal.core.admin_viewsets import ScopedViewSet
from portal.plans.quotas import QuotaExceeded

from .access import edited_site_ids
from .admin_forms import HouseAdForm, SponsorshipForm
from .booking import save_sponsorship
from .models import HouseAd, Sponsorship


def visible_to(model: type, user) -> QuerySet:
    site_ids = edited_site_ids(user)
    rows = model.objects.select_related("site")
    return rows if site_ids is None else rows.filter(site_id__in=site_ids)


class SponsoredViewSet(ScopedViewSet):
    """Object URLs answer 404 for items of portals the user does not edit; the index
    (:class:`ScopedIndexView`) lists only the user's portals' items."""

    def visible(self, user) -> QuerySet:
        return visible_to(self.model, user)


class ScopedIndexView(generic.IndexView):
    def get_base_queryset(self) -> QuerySet:
        return visible_to(self.model, self.request.user)


class BookingMixin:
    """Saves a sponsorship under its company's plan: over the featured slots, the form comes
    back with the plan's message and nothing is saved."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except QuotaExceeded as exceeded:
            form.add_error("uses_plan_slot", str(exceeded))
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)

    def save_instance(self) -> Sponsorship:
        sponsorship = self.form.save(commit=False)
        if sponsorship.pk is None:
            sponsorship.created_by = self.request.user
        return save_sponsorship(sponsorship)


class SponsorshipCreateView(BookingMixin, generic.CreateView):
    pass


class SponsorshipEditView(BookingMixin, generic.EditView):
    pass


class SponsorshipViewSet(SponsoredViewSet):
    model = Sponsorship
    icon = "pick"
    menu_label = "Sponsorships"
    menu_order = 320
    index_view_class = ScopedIndexView
    add_view_class = SponsorshipCreateView
    edit_view_class = SponsorshipEditView
    list_display = ["page", "advertiser", "payer", "starts_on", "ends_on", "site"]
    list_filter = ["starts_on", "ends_on", "uses_plan_slot"]
    search_fields = ["advertiser", "payer", "payment_reference"]

    def get_form_class(self, for_update: bool = False) -> type:
        return SponsorshipForm


class HouseAdViewSet(SponsoredViewSet):
    model = HouseAd
    icon = "doc-full"
    menu_label = "House ads"
    menu_order = 321
    index_view_class = ScopedIndexView
    list_display = ["title", "section", "starts_on", "ends_on", "live", "site"]
    list_filter = ["live", "starts_on", "ends_on"]
    search_fields = ["title", "text"]

    def get_form_class(self, for_update: bool = False) -> type:
        return HouseAdForm
