"""The portal's product categories (two levels) and regions; what left the file is retired."""

from decimal import Decimal

from wagtail.models import Site

from portal.core.models import Category, Region

from ..schema import Industry
from .report import LaunchReport, assign


def sync_taxonomy(industry: Industry, site: Site, report: LaunchReport) -> None:
    existing = {c.slug: c for c in Category.objects.filter(site=site)}
    keep: set[str] = set()
    order = 0
    for group in industry.taxonomy:
        parent = _category(site, group, None, order, existing, report)
        keep.add(parent.slug)
        for child in group.children:
            order += 1
            keep.add(_category(site, child, parent, order, existing, report).slug)
        order += 1
    for slug, category in existing.items():
        if slug not in keep and category.is_active:
            category.is_active = False
            category.save(update_fields=["is_active"])
            report.note(f"retired category {category.name}")

    regions = {r.code: r for r in Region.objects.filter(site=site)}
    for order, spec in enumerate(industry.regions):
        region = regions.pop(spec.code, None) or Region(site=site, code=spec.code)
        if assign(region, name=spec.name, sort_order=order, is_active=True) or region.pk is None:
            region.save()
            report.note(f"region {spec.name}")
    for region in regions.values():
        if region.is_active:
            region.is_active = False
            region.save(update_fields=["is_active"])
            report.note(f"retired region {region.name}")


def _category(site, spec, parent, order, existing, report) -> Category:
    category = existing.get(spec.key) or Category(site=site, slug=spec.key)
    price = spec.price
    changed = assign(
        category,
        name=spec.name,
        parent=parent,
        description=spec.description,
        specs=list(spec.specs),
        price_min=Decimal(str(price.min)).quantize(Decimal("0.01")) if price else None,
        price_max=Decimal(str(price.max)).quantize(Decimal("0.01")) if price else None,
        price_unit=price.unit if price else "",
        price_currency=price.currency if price else "",
        sort_order=order,
        is_active=True,
    )
    if changed or category.pk is None:
        category.save()
        report.note(f"category {spec.name}")
    return category
