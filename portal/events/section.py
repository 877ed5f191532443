"""Events and trade shows as a section type: everything it brings to a portal, declared once."""

from portal.core.sections import DemoContent, SearchDocumentType, SectionType

from .dated import calendar_files, ended_events
from .demo import event_page
from .documents import KINDS, event_document, exhibiting_event_ids

EVENTS = SectionType(
    key="events",
    title="Events",
    index_model="events.EventIndexPage",
    search=(
        SearchDocumentType(
            key="event",
            label="Events",
            noun="Event",
            model="events.EventPage",
            build=event_document,
            select_related=("region",),
            prefetch_related=("exhibitors",),
            kinds=KINDS,
            shows={"directory.CompanyPage": exhibiting_event_ids},
        ),
    ),
    state_without_revision=ended_events,
    export_files=calendar_files,
    urls="portal.events.urls",
    demo=DemoContent(
        noun="events",
        seed="event",
        count=lambda scale: max(8, scale // 5),
        build=event_page,
        max_age_days=30,
        order=5,  # after the directory, whose companies exhibit
        many_to_many=("exhibitors",),
    ),
    default=False,  # only in portals whose industry file lists it
)
