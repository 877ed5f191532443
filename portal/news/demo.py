"""Demo news articles (see ``portal/demo``)."""

from typing import TYPE_CHECKING, Any

from django.utils.text import slugify
from taggit.models import Tag
from wagtail.models import Page
from wagtail.rich_text import RichText

from .demo_reports import attach_reports, is_report, report_values
from .models import NewsArticlePage, NewsArticleTag

if TYPE_CHECKING:
    from portal.demo.context import DemoContext


def article_page(ctx: "DemoContext", number: int) -> tuple[NewsArticlePage, dict]:
    rng = ctx.rng("news", number)
    topic = rng.choice(ctx.topics)
    related = [c for c in ctx.leaves if ctx.mentions(topic, c.name)]
    category = rng.choice(related or ctx.leaves)
    region = rng.choice(ctx.regions)
    author = f"{rng.choice(ctx.words.FIRST_NAMES)} {rng.choice(ctx.words.SURNAMES)}"
    change = rng.choice([-12, -8, -5, -3, 2, 4, 6, 9, 15])
    title = rng.choice(
        [
            f"{topic.capitalize()}: what it means for {category.name.lower()} in {region.name}",
            f"{region.name} {category.name.lower()} market: {topic}",
            f"{category.name} trade adjusts to {topic}",
        ]
    )
    summary = (
        f"{category.name} volumes in {region.name} moved {abs(change)}% "
        f"{'up' if change > 0 else 'down'} this quarter as {topic} dominated the agenda."
    )
    body = [
        (
            "paragraph",
            RichText(
                f"<p>{summary} Buyers and producers told the association "
                f"that order books are {'filling' if change > 0 else 'thin'} "
                f"for the coming months.</p>"
            ),
        ),
        ("key_figure", {"value": f"{change:+d}%", "label": f"{category.name} volumes, q/q"}),
        ("heading", "What members are saying"),
        (
            "paragraph",
            RichText(
                f"<p>“We see {'stronger' if change > 0 else 'softer'} demand from "
                f"{rng.choice(ctx.regions).name},” said {author.split()[0]} of "
                f"{rng.choice(ctx.stems)} {rng.choice(ctx.suffixes)}. Market participants "
                f"expect prices for {category.name.lower()} to "
                f"{'firm' if change > 0 else 'ease'} further.</p>"
            ),
        ),
        ("quote", f"The {topic} debate will shape investment decisions for years."),
    ]
    report = is_report(number)
    if report:
        title = f"Market report: {category.name} in {region.name}"
    day = ctx.published(ctx.rng("news", number), 120).date()  # = publication
    slug = f"{slugify(title)[:60].rstrip('-')}-{number}"
    page = NewsArticlePage(
        kind=NewsArticlePage.REPORT if report else NewsArticlePage.NEWS,
        date=day,
        title=title,
        slug=slug,
        summary=summary,
        author=author,
        body=body,
        search_description=summary[:250],
        image=rng.choice(ctx.images) if ctx.images else None,
    )
    tags = [slugify(topic), slugify(region.name)]
    related = {"categories": [category.pk], "tags": tags}
    if report:
        related["report"] = report_values(ctx, number, slug, day, category.name, region.name)
    return page, related


def after_articles(pages: list[Page], relations: list[dict[str, Any]]) -> None:
    """Tag the inserted articles; give the reports their documents (and privacy)."""
    set_tags(pages, relations)
    attach_reports(pages, relations)


def set_tags(pages: list[Page], relations: list[dict[str, Any]]) -> None:
    """Tag the inserted articles (tags are no plain many-to-many: they go through a model)."""
    names = [related.get("tags", []) for related in relations]
    wanted = {name for group in names for name in group}
    tags = {t.name: t for t in Tag.objects.filter(name__in=wanted)}
    for name in wanted - tags.keys():
        tags[name] = Tag.objects.create(name=name, slug=slugify(name))
    NewsArticleTag.objects.bulk_create(
        [
            NewsArticleTag(content_object_id=page.pk, tag=tags[name])
            for page, group in zip(pages, names, strict=True)
            for name in group
        ]
    )
