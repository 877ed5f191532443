"""What the events section shows by date alone, without a new revision, for the static
export's stamps and the page cache's purges: an event that ended moves from the upcoming
list to the past one (the lists' stamps follow their items), and its page and cards say it
ended (folded in here). The calendar feed lists the upcoming events."""

from typing import Any

from wagtail.models import Page

from .models import EventIndexPage, EventPage, today


def ended_events(root: Page) -> dict[int, list[Any]]:
    """``{event id: ["ended"]}`` for the portal's events that ended."""
    ended = EventPage.objects.descendant_of(root).filter(end_date__lt=today())
    return {pk: ["ended"] for pk in ended.values_list("pk", flat=True)}


def calendar_files(section: EventIndexPage) -> list[tuple[str, str]]:
    """``calendar.ics`` with the upcoming events, and one ``<slug>.ics`` per event, each
    stamped with the revisions of the events it holds."""
    upcoming = section.listings().values_list("pk", "live_revision_id", "last_published_at")
    files = [("calendar.ics", str(list(upcoming)))]
    events = section.events().values_list("slug", "pk", "live_revision_id", "last_published_at")
    for slug, *stamp in events:
        files.append((f"{slug}.ics", str(stamp)))
    return files
