"""schema.org ``Event`` data of an event page, for its JSON-LD block.

The template embeds it with Jinja2's ``tojson`` filter, which escapes ``<``, ``>``, ``&`` and
``'``: no text an editor enters can close the ``<script>`` element.
"""

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest

if TYPE_CHECKING:  # the page imports this module to build its context
    from .models import EventPage

SCHEMA = "https://schema.org/"
ATTENDANCE_MODES = {
    "in-person": "OfflineEventAttendanceMode",
    "online": "OnlineEventAttendanceMode",
    "hybrid": "MixedEventAttendanceMode",
}
STATUSES = {
    "scheduled": "EventScheduled",
    "rescheduled": "EventRescheduled",
    "postponed": "EventPostponed",
    "cancelled": "EventCancelled",
}


def event_json_ld(page: "EventPage", request: HttpRequest | None = None) -> dict[str, Any]:
    """The event as a schema.org ``Event``: dates, status, attendance mode, where, who."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": page.title,
        "description": page.summary,
        "startDate": page.start_date.isoformat(),
        "endDate": page.end_date.isoformat(),
        "eventStatus": SCHEMA + STATUSES.get(page.status, "EventScheduled"),
        "eventAttendanceMode": SCHEMA
        + ATTENDANCE_MODES.get(page.attendance, "OfflineEventAttendanceMode"),
        "location": _locations(page),
        "organizer": _organisation(page.organiser, page.organiser_url),
    }
    url = page.get_full_url(request)
    if url:
        data["url"] = url
    return data


def _locations(page: "EventPage") -> dict[str, Any] | list[dict[str, Any]]:
    places = []
    if page.in_person:
        address = {"@type": "PostalAddress", "addressCountry": page.country}
        if page.city:
            address["addressLocality"] = page.city
        places.append({"@type": "Place", "name": page.venue or page.city, "address": address})
    if page.online:
        places.append({"@type": "VirtualLocation", "url": page.online_url})
    return places[0] if len(places) == 1 else places


def _organisation(name: str, url: str) -> dict[str, str]:
    organisation = {"@type": "Organization", "name": name}
    if url:
        organisation["url"] = url
    return organisation
