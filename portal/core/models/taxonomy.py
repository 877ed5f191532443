"""Per-portal taxonomy: product categories (two levels) and regions, both from the industry file."""

from django.db import models
from wagtail.models import Site


class CategoryQuerySet(models.QuerySet):
    def active(self) -> "CategoryQuerySet":
        return self.filter(is_active=True)

    def for_site(self, site: Site) -> "CategoryQuerySet":
        return self.filter(site=site)


class Category(models.Model):
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="categories")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    name = models.CharField(max_length=255)
    slug = models.SlugField(max_length=60)
    description = models.TextField(blank=True)
    specs = models.JSONField(default=list, blank=True, help_text="Grades or specifications.")
    price_min = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    price_max = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    price_unit = models.CharField(max_length=16, blank=True)
    price_currency = models.CharField(max_length=3, blank=True)
    sort_order = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(
        default=True, help_text="Retired categories stay on old listings but are not offered."
    )

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name_plural = "categories"
        constraints = [
            models.UniqueConstraint(fields=["site", "slug"], name="unique_category_slug_per_site")
        ]

    def __str__(self) -> str:
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name

    def family_ids(self) -> list[int]:
        """This category and its children: what a filter on a parent category should match."""
        return [self.pk, *self.children.values_list("pk", flat=True)]


class Region(models.Model):
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="regions")
    code = models.SlugField(max_length=60)
    name = models.CharField(max_length=255)
    sort_order = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["site", "code"], name="unique_region_code_per_site")
        ]

    def __str__(self) -> str:
        return self.name
