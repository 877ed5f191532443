"""The search documents of events: found until they end, by region and attendance."""

from typing import Any

from .models import EventPage

KINDS = (("site", "In person"), ("web", "Online"), ("both", "Hybrid"))
KIND_OF = {"in-person": "site", "online": "web", "hybrid": "both"}


def event_document(page: EventPage) -> dict[str, Any]:
    exhibitors = ", ".join(company.title for company in page.exhibitors.all())
    return {
        "body": "\n".join(
            part
            for part in (
                page.dates,
                page.summary,
                page.description,
                page.place,
                f"Organised by {page.organiser}",
                f"Exhibitors: {exhibitors}" if exhibitors else "",
            )
            if part
        ),
        "kind": KIND_OF.get(page.attendance, ""),
        "region": page.region,
        "expires_on": page.end_date,  # search leaves out events that ended
    }


def exhibiting_event_ids(company: Any) -> list[int]:
    """An event's document names its exhibitors: they are rebuilt when a company changes."""
    return list(EventPage.objects.live().filter(exhibitors=company).values_list("pk", flat=True))
