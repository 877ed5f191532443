from datetime import date

from django.db import models
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageBlock
from wagtail.models import Page
from wagtail.search import index

from portal.core.models import ListingIndexPage, PortalPage


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
        FieldPanel("summary"),
        FieldPanel("image"),
        FieldPanel("body"),
        MultiFieldPanel([FieldPanel("categories"), FieldPanel("tags")], heading="Classification"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("author"),
        index.FilterField("date"),
    ]
    parent_page_types = ["news.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "news article"
