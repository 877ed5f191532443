"""The search document of a news article."""

from datetime import datetime, time
from html import unescape
from typing import Any

from django.utils import timezone
from django.utils.html import strip_tags

from .models import NewsArticlePage


def article_document(page: NewsArticlePage) -> dict[str, Any]:
    body = " ".join(
        unescape(strip_tags(str(text)))
        for text in page.body.stream_block.get_searchable_content(page.body)
    )
    return {
        "kind": page.kind if page.is_report else "",
        "body": f"{page.summary}\n{body}",
        "posted_at": timezone.make_aware(datetime.combine(page.date, time(12))),
        "categories": list(page.categories.all()),
    }
