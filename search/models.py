"""What search knows about a public page, and the outbox that carries changes to the engine.

``SearchDocument`` is one row per public page, rebuilt from the page on every publish,
unpublish or deletion (in the same transaction). The database engine searches these rows
(through Wagtail's modelsearch); the Elasticsearch-compatible engine receives them through the
``SearchOutbox``, so a search-engine outage delays updates but never loses one.
"""

from django.db import models
from django.utils import timezone
from wagtail.models import Page, Site
from wagtail.search import index


class SearchDocument(index.Indexed, models.Model):
    page = models.OneToOneField(Page, on_delete=models.CASCADE, related_name="+", primary_key=True)
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    portal = models.SlugField(max_length=60, db_index=True)
    doc_type = models.CharField(max_length=12, db_index=True)
    kind = models.CharField(max_length=16, blank=True, db_index=True)  # a "Kind" facet value
    title = models.CharField(max_length=255)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    category = models.ForeignKey(
        "core.Category",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The main category, shown with the result.",
    )
    categories = models.ManyToManyField(
        "core.Category",
        related_name="+",
        help_text="Every category of the page and their parents: what category filters match.",
    )
    region = models.ForeignKey(
        "core.Region", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    price = models.DecimalField(max_digits=14, decimal_places=2, null=True, db_index=True)
    currency = models.CharField(max_length=3, blank=True)
    unit = models.CharField(max_length=16, blank=True)
    posted_at = models.DateTimeField(db_index=True)
    expires_on = models.DateField(null=True, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now)

    search_fields = [
        index.SearchField("title", boost=3),
        index.SearchField("body"),
        index.AutocompleteField("title"),
        index.FilterField("site_id"),
        index.FilterField("portal"),
        index.FilterField("doc_type"),
        index.FilterField("kind"),
        index.FilterField("region_id"),
        index.FilterField("price"),
        index.FilterField("posted_at"),
        index.FilterField("expires_on"),
    ]

    class Meta:
        indexes = [models.Index(fields=["site", "doc_type", "posted_at"])]

    def __str__(self) -> str:
        return self.title


class SearchOutbox(models.Model):
    """A page whose search document changed and must reach the external engine."""

    page_id = models.PositiveBigIntegerField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_error = models.TextField(blank=True)
    rebuild = models.BooleanField(
        default=False, help_text="Rebuild the search document from the page first."
    )

    class Meta:
        verbose_name_plural = "search outbox"

    def __str__(self) -> str:
        return f"page {self.page_id} (attempt {self.attempts})"
