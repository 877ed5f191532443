"""The admin form of a news article: a report's documents from this portal's collections."""

from typing import Any

from portal.core.models.page_form import PortalPageForm


class NewsArticlePageForm(PortalPageForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.portal_site is None or not self.media_collections:
            return
        formset = self.formsets.get("report_documents")
        for form in formset.forms if formset is not None else ():
            field = form.fields.get("document")
            if field is not None:
                field.queryset = field.queryset.filter(collection__in=self.media_collections)
