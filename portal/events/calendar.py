"""iCalendar (RFC 5545) files of events: one per event and a feed of a section's upcoming
events. Events are all-day: ``DTSTART``/``DTEND`` are ``DATE`` values, the end exclusive."""

from datetime import UTC, datetime, timedelta
from typing import Any

from django.http import HttpRequest
from icalendar import Calendar, Event

from .models import EventIndexPage, EventPage

CONTENT_TYPE = "text/calendar; charset=utf-8"
STATUSES = {"cancelled": "CANCELLED", "postponed": "TENTATIVE"}


def calendar_of(
    events: list[EventPage], name: str, host: str, request: HttpRequest | None = None
) -> Calendar:
    """A calendar named ``name`` holding ``events``; ``host`` makes their UIDs unique."""
    calendar = Calendar()
    calendar.add("prodid", "-//Guildhall//Events//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for page in events:
        calendar.add_component(event_component(page, host, request))
    return calendar


def event_component(page: EventPage, host: str, request: HttpRequest | None = None) -> Event:
    """One ``VEVENT``: its UID stays the same for as long as the page exists, and DTSTAMP is
    when it was last published, so a file changes only when the event does."""
    event = Event()
    event.add("uid", f"event-{page.pk}@{host}")
    event.add("dtstamp", _utc(page.last_published_at or page.first_published_at))
    event.add("dtstart", page.start_date)
    event.add("dtend", page.end_date + timedelta(days=1))
    event.add("summary", page.title)
    event.add("description", _description(page))
    if page.place:
        event.add("location", page.place if page.in_person else page.online_url)
    url = page.get_full_url(request)
    if url:
        event.add("url", url)
    event.add("status", STATUSES.get(page.status, "CONFIRMED"))
    event.add("transp", "TRANSPARENT")  # a multi-day fair does not block a calendar
    if page.last_published_at:
        event.add("last-modified", _utc(page.last_published_at))
    return event


def section_calendar(section: EventIndexPage, request: HttpRequest | None = None) -> Calendar:
    """The section's upcoming events."""
    site = section.get_site()
    portal = site.site_name or section.get_parent().title
    return calendar_of(
        list(section.listings()), f"{section.title} · {portal}", site.hostname, request
    )


def event_calendar(
    page: EventPage, request: HttpRequest | None = None, host: str | None = None
) -> Calendar:
    """The event alone; ``host`` (its site's) when the caller knows it."""
    return calendar_of([page], page.title, host or page.get_site().hostname, request)


def _description(page: EventPage) -> str:
    parts = [page.summary, page.description, f"Organised by {page.organiser}."]
    if page.online:
        parts.append(f"Join online: {page.online_url}")
    return "\n\n".join(part.strip() for part in parts if part and part.strip())


def _utc(moment: Any) -> datetime:
    if moment is None:
        return datetime(2000, 1, 1, tzinfo=UTC)
    return moment.astimezone(UTC)
