"""``launch_portal``'s part for the prices section: a page per series of the industry file,
kept in step with it (created, updated, unpublished when the file drops it)."""

from wagtail.models import Page

from portal.core.models import Category, Region

from .models import PriceIndexPage, PriceSeriesPage
from .options import PricesOptions, Series


def sync_series(index: PriceIndexPage, options: PricesOptions | None) -> list[str]:
    options = options or PricesOptions()
    lines: list[str] = []
    index = PriceIndexPage.objects.get(pk=index.pk)
    if index.caution_below != options.caution_below:
        index.caution_below = options.caution_below
        lines += _publish(index, ["caution_below"])
    site = index.get_site()
    categories = {c.slug: c for c in Category.objects.for_site(site)}
    regions = {r.code: r for r in Region.objects.filter(site=site)}
    pages = {p.key: p for p in PriceSeriesPage.objects.child_of(index)}
    for series in options.series:
        values = _values(series, options, categories, regions)
        page = pages.pop(series.slug, None)
        if page is None:
            page = PriceSeriesPage(slug=series.slug, key=series.slug, **values)
            index.add_child(instance=page)
            page.save_revision().publish()
            lines.append(f"price series {series.name}")
            continue
        changed = [name for name, value in values.items() if getattr(page, name) != value]
        for name in changed:
            setattr(page, name, values[name])
        if changed or not page.live:
            lines += _publish(page, changed or ["published again"])
    for page in pages.values():
        if page.live:
            page.unpublish()
            lines.append(f"unpublished price series {page.title} (no longer in the industry file)")
    return lines


def _values(series: Series, options: PricesOptions, categories: dict, regions: dict) -> dict:
    return {
        "title": series.name,
        "description": series.description,
        "category": categories[series.category],
        "specification": series.specification,
        "incoterm": series.incoterm,
        "region": regions.get(series.region) if series.region else None,
        "unit": series.unit,
        "currency": series.currency,
        "frequency": series.frequency,
        "cutoff_weekday": series.cutoff.weekday_number,
        "cutoff_time": series.cutoff.time,
        "method": options.method_of(series).model_dump(),
        "search_description": series.description[:250],
    }


def _publish(page: Page, changed: list[str]) -> list[str]:
    if page.workflow_in_progress or page.has_unpublished_changes:
        return [
            f"warning: {page.title} not updated ({', '.join(changed)}): it has unpublished "
            "changes; publish or discard them in the admin and launch again"
        ]
    page.save_revision().publish()
    return [f"{page.title}: {', '.join(changed)}"]
