"""The editors' forms: each offers only the portals, pages and images the user works on."""

from django import forms
from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.images import get_image_model
from wagtail.models import Page

from portal.board.models import TradeListingPage
from portal.core.admin_scope import visible
from portal.core.sections import section_types
from portal.directory.models import CompanyPage

from .access import edited_sites, within_sites
from .models import HouseAd, Sponsorship


class ScopedForm(WagtailAdminModelForm):
    """``site`` among the user's portals; subclasses limit their page fields with
    :meth:`pages`."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.sites = edited_sites(self.for_user)
        self.fields["site"].queryset = self.sites
        if len(self.sites) == 1 and not self.instance.pk:
            self.fields["site"].initial = self.sites[0].pk

    def pages(self):
        return Page.objects.filter(within_sites(self.sites))


class SponsorshipForm(ScopedForm):
    class Meta:
        model = Sponsorship
        fields = [
            "site",
            "page",
            "on_board",
            "on_categories",
            "on_search",
            "starts_on",
            "ends_on",
            "advertiser",
            "payer",
            "payment_reference",
            "uses_plan_slot",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        listings = TradeListingPage.objects.open().values("pk")
        companies = CompanyPage.objects.live().values("pk")
        self.fields["page"].queryset = self.pages().filter(pk__in=listings) | self.pages().filter(
            pk__in=companies
        )


class HouseAdForm(ScopedForm):
    class Meta:
        model = HouseAd
        fields = [
            "site",
            "section",
            "title",
            "text",
            "link_page",
            "link_url",
            "image",
            "starts_on",
            "ends_on",
            "live",
        ]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        index_models = [entry.index_page_class for entry in section_types()]
        self.fields["section"].queryset = self.pages().type(*index_models)
        self.fields["link_page"].queryset = self.pages().live()
        images = get_image_model().objects.all()
        self.fields["image"].queryset = visible(self.for_user, get_image_model(), images)

    def clean_text(self) -> str:
        text = self.cleaned_data.get("text", "")
        if "<" in text and ">" in text:
            raise ValidationError("Plain text only, please.")
        return text
