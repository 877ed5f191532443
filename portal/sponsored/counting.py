"""Daily impressions and clicks of sponsored items, counted on the portal's own server: no
cookie, no third-party tracker, nothing about the visitor kept but the day's totals."""

import re
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest

from .models import DailyCount, HouseAd, Sponsorship

# Crawlers, link previews and scripts are not people seeing an advertisement.
BOTS = re.compile(
    r"bot|crawl|spider|slurp|preview|fetch|facebookexternalhit|headless|curl|wget|python|"
    r"httpclient|java/|go-http|monitor|lighthouse|pagespeed",
    re.IGNORECASE,
)


def is_bot(request: HttpRequest) -> bool:
    agent = request.headers.get("User-Agent", "")
    return not agent or bool(BOTS.search(agent))


def count(item: Sponsorship | HouseAd, field: str, day: date) -> None:
    """Add one to ``field`` ("impressions" or "clicks") of ``item`` on ``day``: an update of
    the day's row, made first if there is none (two racing first counts both land)."""
    key = {"sponsorship": item} if isinstance(item, Sponsorship) else {"house_ad": item}
    rows = DailyCount.objects.filter(day=day, **key)
    if rows.update(**{field: F(field) + 1}):
        return
    try:
        with transaction.atomic():
            DailyCount.objects.create(site_id=item.site_id, day=day, **key, **{field: 1})
    except IntegrityError:
        rows.update(**{field: F(field) + 1})
