"""The iCalendar files of an events section, served live and written to the static copy."""

from django.http import Http404, HttpRequest, HttpResponse

from portal.core.context import portal_site

from .calendar import CONTENT_TYPE, event_calendar, section_calendar
from .models import EventIndexPage


def _section(request: HttpRequest, slug: str) -> EventIndexPage:
    site = portal_site(request)
    sections = EventIndexPage.objects.live().public().filter(slug=slug)
    section = sections.child_of(site.root_page).first() if site is not None else None
    if section is None:
        raise Http404("No events section here")
    return section


def section_ics(request: HttpRequest, section: str) -> HttpResponse:
    """Every upcoming event of the section: a calendar to subscribe to."""
    calendar = section_calendar(_section(request, section), request)
    return HttpResponse(calendar.to_ical(), content_type=CONTENT_TYPE)


def event_ics(request: HttpRequest, section: str, event: str) -> HttpResponse:
    """One event, to add to a calendar."""
    page = _section(request, section).events().filter(slug=event).first()
    if page is None:
        raise Http404("No such event")
    return HttpResponse(event_calendar(page, request).to_ical(), content_type=CONTENT_TYPE)
