"""News as a section type: everything it brings to a portal, declared once."""

from portal.core.sections import DemoContent, SearchDocumentType, SectionType

from .demo import after_articles, article_page
from .documents import article_document

NEWS = SectionType(
    key="news",
    title="News",
    index_model="news.NewsIndexPage",
    search=(
        SearchDocumentType(
            key="news",
            label="News",
            noun="News",
            model="news.NewsArticlePage",
            build=article_document,
            prefetch_related=("categories",),
            kinds=(("report", "Market reports"),),
        ),
    ),
    demo=DemoContent(
        noun="news",
        seed="news",
        count=lambda scale: max(6, scale // 10),
        build=article_page,
        max_age_days=120,
        order=1,
        many_to_many=("categories",),
        after_insert=after_articles,
    ),
)
