"""Demo events (see ``portal/demo``): trade fairs, summits and webinars spread from six
months ago to nine months ahead, with exhibitors from the portal's directory."""

from datetime import timedelta
from typing import TYPE_CHECKING

from django.utils.text import slugify

from .models import EventPage

if TYPE_CHECKING:
    from portal.demo.context import DemoContext

FAIRS = ("Expo", "Trade Fair", "Summit", "Forum", "Congress", "Buyers' Meet")
WEBINARS = ("market outlook", "buyers' briefing", "sourcing clinic", "price review")


def event_page(ctx: "DemoContext", number: int) -> tuple[EventPage, dict]:
    """Every third event is past; every fourth (from the second) online, every fifth hybrid."""
    rng = ctx.rng("event", number)
    past = number % 3 == 0
    start = ctx.today + timedelta(days=rng.randint(-180, -8) if past else rng.randint(3, 270))
    group = rng.choice(ctx.groups)
    leaf = rng.choice(ctx.leaves)
    portal = ctx.industry.name.split(" — ")[0]
    attendance = "online" if number % 4 == 1 else "hybrid" if number % 5 == 2 else "in-person"
    if attendance == "online":
        title = f"{leaf.name} {rng.choice(WEBINARS)} {start.year}"
        end, place, region = start, ("", "", ""), None
        summary = f"A two-hour online session on {leaf.name.lower()}: prices, supply and demand."
    else:
        city, country, region = ctx.place(rng)
        title = f"{group.name} {rng.choice(FAIRS)} {city} {start.year}"
        end = start + timedelta(days=rng.randint(0, 3))
        place = (f"{city} Exhibition Centre", city, country)
        summary = (
            f"Producers, traders and buyers of {group.name.lower()} meet in {city}: "
            f"exhibition halls, a conference and matchmaking."
        )
    companies = ctx.items_of("directory")
    exhibitors = rng.sample(companies, k=min(len(companies), rng.randint(2, 8)))
    organiser = rng.choice(
        [f"{portal} Events", f"{region.name if region else portal} Trade Council"]
    )
    slug = f"{slugify(title)[:60].rstrip('-')}-{number}"
    page = EventPage(
        title=title,
        slug=slug,
        summary=summary,
        description=f"{title} brings together the {group.name.lower()} trade.\n"
        f"Sessions cover {leaf.name.lower()}, logistics and financing.",
        start_date=start,
        end_date=end,
        attendance=attendance,
        status="cancelled" if number == 7 else "scheduled",
        venue=place[0],
        city=place[1],
        country=place[2],
        region=region,
        online_url=f"https://events.{slugify(portal)}.example/{slug}"
        if attendance != "in-person"
        else "",
        organiser=organiser,
        organiser_url=f"https://www.{slugify(portal)}.example",
        website=f"https://{slug}.example" if attendance != "online" else "",
        search_description=summary,
    )
    return page, {"exhibitors": [company.pk for company in exhibitors]}
