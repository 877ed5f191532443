"""Which companies are verified today, as a query, and the directory's "verified" filter
(``./verified/``, ``./verified/page/N/``), beside its category and region filters."""

from datetime import date
from typing import Any

from django.db import models
from django.http import HttpRequest, HttpResponse
from wagtail.contrib.routable_page.models import path

from . import dates

VERIFIED = "verified"


def verified_q(on: date | None = None, prefix: str = "") -> models.Q:
    """Companies with a current registration check on ``on`` (today), from the summary the
    checks keep on each company's page (see ``checks.py``)."""
    on = on or dates.today()
    return models.Q(**{f"{prefix}verified_on__isnull": False, f"{prefix}verified_on__lte": on}) & (
        models.Q(**{f"{prefix}verification_expires__isnull": True})
        | models.Q(**{f"{prefix}verification_expires__gte": on})
    )


class VerifiedFilter:
    """For the directory's index page: a filter listing only verified companies."""

    has_verified_filter = True

    def filter_choices(self) -> list[tuple[str | None, Any]]:
        return [*super().filter_choices(), (VERIFIED, None)]

    def filtered(
        self,
        kind: str | None = None,
        filter_object: Any = None,
        listings: models.QuerySet | None = None,
    ) -> models.QuerySet:
        if kind == VERIFIED:
            listings = self.listings() if listings is None else listings
            return listings.filter(verified_q())
        return super().filtered(kind, filter_object, listings)

    def filter_suffix(
        self, kind: str | None = None, value: str | None = None, page: int = 1
    ) -> str:
        if kind == VERIFIED:
            return f"{VERIFIED}/" + super().filter_suffix(page=page)
        return super().filter_suffix(kind, value, page)

    @path("verified/")
    @path("verified/page/<int:page>/")
    def verified(self, request: HttpRequest, page: int = 1) -> HttpResponse:
        return self.render_listing(request, page, self.list_of(request, VERIFIED), VERIFIED)
