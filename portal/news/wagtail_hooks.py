"""Members-only market reports: their teaser and their documents (see ``privacy.py``)."""

from django.http import HttpRequest, HttpResponse
from wagtail import hooks

from .models import NewsArticlePage
from .privacy import document_refusal, teaser_for


# Before Wagtail's own check, which would send the visitor straight to the sign-in page.
@hooks.register("before_serve_page", order=-10)
def members_only_teaser(page, request: HttpRequest, *args) -> HttpResponse | None:
    if isinstance(page, NewsArticlePage):
        return teaser_for(page, request)
    return None


@hooks.register("before_serve_document")
def members_only_documents(document, request: HttpRequest) -> HttpResponse | None:
    return document_refusal(document, request)
