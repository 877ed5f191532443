from typing import Any

from django.utils.text import slugify

from portal.core.sections import DemoContent, SearchDocumentType, SectionType

from .models import NoticePage


def notice_document(page: NoticePage) -> dict[str, Any]:
    return {"body": page.summary, "categories": [page.category]}


def notice_page(context, number: int) -> tuple[NoticePage, dict]:
    rng = context.rng("notice", number)
    category = rng.choice(context.leaves)
    title = f"Notice {number}: {category.name} tender"
    page = NoticePage(
        title=title,
        slug=slugify(title),
        summary=f"A tender for {category.name.lower()}.",
        category=category,
    )
    return page, {}


def notice_files(section) -> list[tuple[str, str]]:
    """The CSV download lists every current notice: it changes with their revisions."""
    listed = section.listings().values_list("pk", "live_revision_id")
    return [("notices.csv", str(list(listed)))]


NOTICES = SectionType(
    key="notices",
    title="Notices",
    index_model="notices.NoticeIndexPage",
    search=(
        SearchDocumentType(
            key="notice",
            label="Notices",
            noun="Notice",
            model="notices.NoticePage",
            build=notice_document,
            select_related=("category__parent",),
        ),
    ),
    urls="tests.notices.urls",
    export_files=notice_files,
    demo=DemoContent(noun="notices", seed="notice", count=lambda scale: 3, build=notice_page),
    default=False,  # only in portals whose industry file lists it
)
