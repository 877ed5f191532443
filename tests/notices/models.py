from django.db import models
from wagtail.models import Page

from portal.core.models import ListingIndexPage, PortalPage


class NoticeIndexPage(ListingIndexPage):
    listing_model = "notices.NoticePage"
    category_lookup = "category"
    region_lookup = None
    listing_nouns = ("notice", "notices")
    subpage_types = ["notices.NoticePage"]

    class Meta:
        verbose_name = "notices section"


class NoticePage(PortalPage):
    summary = models.TextField()
    category = models.ForeignKey("core.Category", on_delete=models.RESTRICT, related_name="+")

    content_panels = [*Page.content_panels]
    parent_page_types = ["notices.NoticeIndexPage"]
    subpage_types: list[str] = []
