"""The iCalendar files of an events section, served live and written to the static copy."""

from django.http import Http404, HttpRequest, HttpResponse

from portal.core.context import portal_site
from portal.syndication.feeds import section_for

from .calendar import CONTENT_TYPE, event_calendar, section_calendar
from .models import EventIndexPage, EventPage


def _section(request: HttpRequest, slug: str) -> EventIndexPage:
    """The live, public events section ``slug`` of the requested portal (from the portal's
    sections kept per process, no query)."""
    section = section_for(request, slug)
    if not isinstance(section, EventIndexPage):
        raise Http404("No events section here")
    return section


def section_ics(request: HttpRequest, section: str) -> HttpResponse:
    """Every upcoming event of the section: a calendar to subscribe to."""
    calendar = section_calendar(_section(request, section), request)
    return HttpResponse(calendar.to_ical(), content_type=CONTENT_TYPE)


def event_ics(request: HttpRequest, section: str, event: str) -> HttpResponse:
    """One event, to add to a calendar: the section's live, public event at ``event``, found
    as routing to its page finds it (one query)."""
    events = _section(request, section)
    page = events.child_for_route(request, event)
    if not isinstance(page, EventPage) or not page.live:
        raise Http404("No such event")
    page._cached_parent_obj = events
    if page.get_view_restrictions().exists():  # no query unless it is restricted
        raise Http404("No such event")
    site = portal_site(request)
    return HttpResponse(
        event_calendar(page, request, site.hostname).to_ical(), content_type=CONTENT_TYPE
    )
