from datetime import date

from django.db import models
from django.http import HttpRequest
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageBlock
from wagtail.models import Orderable, Page
from wagtail.search import index

from portal.core.models import ListingIndexPage, PortalPage
from portal.syndication import structured

from .forms import NewsArticlePageForm


class NewsIndexPage(ListingIndexPage):
    listing_model = "news.NewsArticlePage"
    category_lookup = "categories"
    region_lookup = None
    ordering = ("-date", "-pk")
    listing_related = ("image",)
    listing_nouns = ("article", "articles")
    subpage_types = ["news.NewsArticlePage"]
    home_teasers = 3

    class Meta:
        verbose_name = "news section"


class NewsArticleTag(TaggedItemBase):
    content_object = ParentalKey(
        "news.NewsArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ArticleBody(blocks.StreamBlock):
    heading = blocks.CharBlock(form_classname="title", icon="title")
    paragraph = blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul"])
    image = ImageBlock()
    quote = blocks.BlockQuoteBlock()
    key_figure = blocks.StructBlock(
        [("value", blocks.CharBlock()), ("label", blocks.CharBlock())], icon="pick"
    )


class NewsArticlePage(PortalPage):
    base_form_class = NewsArticlePageForm
    NEWS = "news"
    REPORT = "report"
    KINDS = [(NEWS, "News"), (REPORT, "Market report")]

    kind = models.CharField(
        max_length=10,
        choices=KINDS,
        default=NEWS,
        help_text="A market report lists its attached documents. To keep one for members, "
        "set its privacy to the portal's members group.",
    )
    date = models.DateField("publication date", default=date.today)
    author = models.CharField(max_length=255, blank=True)
    summary = models.TextField(max_length=500, help_text="One or two sentences for listings.")
    body = StreamField(ArticleBody(), blank=True)
    categories = ParentalManyToManyField("core.Category", blank=True, related_name="news")
    tags = ClusterTaggableManager(through=NewsArticleTag, blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel([FieldPanel("date"), FieldPanel("author")], heading="Byline"),
        FieldPanel("kind"),
        FieldPanel("summary"),
        FieldPanel("image"),
        FieldPanel("body"),
        InlinePanel("report_documents", heading="Report documents", label="Document"),
        MultiFieldPanel([FieldPanel("categories"), FieldPanel("tags")], heading="Classification"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("author"),
        index.FilterField("date"),
        index.FilterField("kind"),
    ]
    parent_page_types = ["news.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "news article"

    @property
    def is_report(self) -> bool:
        return self.kind == self.REPORT

    def is_private(self) -> bool:
        """Under a view restriction: readers who see it are told it is for members."""
        return self.get_view_restrictions().exists()

    def json_ld(self, request: HttpRequest | None = None) -> dict:
        """The article as a schema.org ``NewsArticle``."""
        publisher = structured.portal_organization(self)
        author = structured.thing("Person", name=self.author) if self.author else publisher
        image = structured.image_url(self)
        return structured.document(
            structured.thing(
                "NewsArticle",
                headline=self.title[: structured.HEADLINE_CHARS],
                description=self.summary,
                datePublished=structured.iso(self.date),
                dateModified=structured.iso(self.last_published_at),
                author=[author],
                publisher=publisher,
                image=[image] if image else None,
                mainEntityOfPage=self.get_full_url(request),
            )
        )

    def attachments(self) -> list["ReportDocument"]:
        """The report's documents, in the editor's order (none for a news article)."""
        if not self.is_report:
            return []
        return list(self.report_documents.select_related("document").order_by("sort_order"))


class ReportDocument(Orderable):
    """A document attached to a market report, under the title readers see."""

    page = ParentalKey(NewsArticlePage, on_delete=models.CASCADE, related_name="report_documents")
    document = models.ForeignKey("wagtaildocs.Document", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(
        max_length=255, blank=True, help_text="Shown to readers; the document's title if empty."
    )

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = "report document"

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.title or self.document.title

    @property
    def file_type(self) -> str:
        """``PDF``, ``CSV``..."""
        return self.document.file_extension.upper()

    @property
    def size(self) -> str:
        """The file's size for readers: ``12 KB``, ``1.4 MB``."""
        return file_size_label(self.document.get_file_size())


def file_size_label(size: int | None) -> str:
    """``840 bytes``, ``12 KB``, ``1.4 MB``."""
    if size is None:
        return ""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"
