"""The events section: upcoming and past lists with month and region filters, iCalendar
files, schema.org data, search, the static copy and the demo."""

import json
from datetime import date, timedelta
from html import escape

import pytest
import yaml
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.core.management import call_command
from icalendar import Calendar
from wagtail.models import PageViewRestriction, Site

from portal.board.models import TradeListingPage
from portal.core.models import PortalHomePage, Region
from portal.directory.models import CompanyPage
from portal.events.dates import Month
from portal.events.models import EventIndexPage, EventPage
from portal.export.targets import portal_targets
from portal.pagecache.purge import changed_paths
from search.models import SearchDocument

from .conftest import host, today
from .support import build_static, static_sitemap

pytestmark = pytest.mark.django_db

HOST = "fairs.localhost:8000"
FAIRS = {
    "name": "FairMetals",
    "hostname": "fairs.example.org",
    "tagline": "Metals fairs and webinars",
    "palette": {"primary": "#2d2a6e", "accent": "#0f7c6c"},
    "units": [{"code": "t", "name": "tonne"}],
    "currencies": ["EUR"],
    "regions": [{"code": "europe", "name": "Europe"}, {"code": "asia", "name": "Asia"}],
    "sections": [
        {"kind": "directory"},
        {"kind": "events", "title": "Fairs", "intro": "Trade fairs and webinars."},
    ],
    "taxonomy": [{"name": "Wire", "children": [{"name": "Wire Rod"}]}],
}


@pytest.fixture
def fairs(industries_dir) -> PortalHomePage:
    (industries_dir / "fairmetals.yaml").write_text(yaml.safe_dump(FAIRS))
    call_command("launch_portal", "fairmetals", hostname=HOST, verbosity=0)
    return PortalHomePage.objects.get(industry_slug="fairmetals")


def section_of(home: PortalHomePage) -> EventIndexPage:
    return EventIndexPage.objects.child_of(home).get()


def region(home: PortalHomePage, code: str) -> Region:
    return Region.objects.get(site=Site.objects.get(root_page=home), code=code)


def add_event(home: PortalHomePage, title: str, start: date, days: int = 1, **fields) -> EventPage:
    values = {
        "summary": "Mills and buyers of wire rod meet.",
        "organiser": "Wire Council",
        "attendance": "in-person",
        "venue": "Hall 6",
        "city": "Düsseldorf",
        "country": "Germany",
        "region": region(home, "europe"),
        **fields,
    }
    event = EventPage(title=title, start_date=start, end_date=start + timedelta(days=days - 1))
    for name, value in values.items():
        setattr(event, name, value)
    section_of(home).add_child(instance=event)
    event.save_revision().publish()
    return event


def get(client, path: str):
    return client.get(path, HTTP_HOST=HOST)


def text(response) -> str:
    return response.content.decode()


def json_ld(response) -> dict:
    """The page's schema.org ``Event`` (beside its breadcrumbs)."""
    soup = BeautifulSoup(response.content, "html.parser")
    scripts = [json.loads(s.string) for s in soup.find_all("script", type="application/ld+json")]
    (event,) = [data for data in scripts if data.get("@type") == "Event"]
    assert any(data.get("@type") == "BreadcrumbList" for data in scripts)
    return event


def test_launched_into_the_menu_of_portals_that_list_it(fairs, client):
    assert [page.title for page in fairs.get_children().live().in_menu()] == [
        "Directory",
        "Fairs",
    ]
    listing = get(client, "/events/")
    assert listing.status_code == 200 and "Trade fairs and webinars." in text(listing)
    assert EventIndexPage.objects.child_of(fairs).get().slug == "events"


def test_the_demo_portals_list_their_demo_events(client, steel):
    section = section_of(steel)
    upcoming = section.latest(3)
    assert upcoming and all(not event.is_past for event in upcoming)
    listing = client.get(section.url, HTTP_HOST=host("steel"))
    assert listing.status_code == 200 and escape(upcoming[0].title) in text(listing)
    past = client.get(section.url + "past/", HTTP_HOST=host("steel"))
    assert escape(section.past_events().first().title) in text(past)
    home = text(client.get("/", HTTP_HOST=host("steel")))
    assert escape(upcoming[0].title) in home  # the home page shows the next few


def test_upcoming_past_month_and_region_lists(fairs, client):
    soon = add_event(fairs, "Wire Expo Düsseldorf", today() + timedelta(days=40), days=3)
    ending = add_event(fairs, "Rod Days", today() - timedelta(days=2), days=3)  # ends today
    asian = add_event(
        fairs, "Asia Wire Forum", today() + timedelta(days=60), region=region(fairs, "asia")
    )
    webinar = add_event(
        fairs,
        "Wire rod price webinar",
        today() + timedelta(days=10),
        attendance="online",
        online_url="https://meet.example/wire",
        venue="",
        city="",
        country="",
        region=None,
    )
    ended = add_event(fairs, "Wire Fair 2020s", today() - timedelta(days=50), days=2)

    upcoming = text(get(client, "/events/"))
    for event in (soon, ending, asian, webinar):
        assert event.title in upcoming
    assert ended.title not in upcoming
    # Soonest first.
    assert upcoming.index(ending.title) < upcoming.index(webinar.title) < upcoming.index(soon.title)
    assert "4 events" in upcoming

    past = text(get(client, "/events/past/"))
    assert ended.title in past and soon.title not in past and "1 event" in past

    europe = text(get(client, "/events/region/europe/"))
    assert soon.title in europe and asian.title not in europe and webinar.title not in europe
    assert ended.title not in europe
    assert ended.title in text(get(client, "/events/past/region/europe/"))
    assert ended.title not in text(get(client, "/events/past/region/asia/"))

    # A month lists every event that takes place in it, past or upcoming.
    month = Month.of(ended.start_date)
    by_month = get(client, f"/events/month/{month.slug}/")
    assert by_month.status_code == 200
    assert ended.title in text(by_month) and month.name in text(by_month)
    assert soon.title in text(get(client, f"/events/month/{Month.of(soon.start_date).slug}/"))
    # The sidebar links the months to come.
    assert f"/events/month/{Month.of(asian.start_date).slug}/" in upcoming


def test_filters_that_name_nothing_answer_404(fairs, client):
    add_event(fairs, "Wire Expo", today() + timedelta(days=40))
    empty_month = Month.of(today() + timedelta(days=400))
    for path in (
        "/events/month/2027-13/",
        "/events/month/abc/",
        "/events/month/0000-01/",
        "/events/month/2027-1/",
        f"/events/month/{empty_month.slug}/",
        "/events/region/nowhere/",
        "/events/past/region/nowhere/",
        "/events/page/2/",
        "/events/page/0/",
        "/events/past/page/2/",
        "/events/category/wire/",
        "/events/no-such-event/",
        "/events/no-such-event.ics",
    ):
        assert get(client, path).status_code == 404, path
    redirect = get(client, "/events/past/page/1/")
    assert redirect.status_code == 301 and redirect["Location"].endswith("/events/past/")


def test_lists_are_paginated(fairs, client):
    for number in range(21):
        add_event(fairs, f"Old fair {number:02d}", today() - timedelta(days=100 - number))
    first, second = get(client, "/events/past/"), get(client, "/events/past/page/2/")
    assert "Old fair 20" in text(first) and "Old fair 00" not in text(first)  # latest first
    assert "Old fair 00" in text(second) and "/events/past/page/2/" in text(first)
    assert get(client, "/events/past/page/3/").status_code == 404


def test_an_event_that_ended_moves_to_the_past_and_its_files_are_built_again(fairs, client):
    event = add_event(fairs, "Rod Days", today() - timedelta(days=1), days=2)  # ends today
    site = Site.objects.get(root_page=fairs)
    before = portal_targets(site)
    snapshot = {t.path: [t.stamp, t.link_stamp, t.page_id] for t in before}
    assert "Rod Days" in text(get(client, "/events/"))
    assert "This event has ended" not in text(get(client, event.url))

    # A day later: nothing was edited, the dates just passed.
    EventPage.objects.filter(pk=event.pk).update(
        start_date=today() - timedelta(days=2), end_date=today() - timedelta(days=1)
    )
    assert "Rod Days" not in text(get(client, "/events/"))
    assert "Rod Days" in text(get(client, "/events/past/"))
    assert "This event has ended" in text(get(client, event.url))

    after = {t.path: t.stamp for t in portal_targets(site)}
    detail = "/events/rod-days/"
    for path in (detail, "/events/", "/events/past/", "/events/calendar.ics"):
        assert after[path] != snapshot[path][0], path
    changed = changed_paths(fairs, portal_targets(site), snapshot)
    assert {detail, "/events/", "/events/past/", "/events/calendar.ics"} <= changed


def test_calendar_feed_and_event_files(fairs, client):
    fair = add_event(
        fairs, "Wire, Rod; & Bar Fair", today() + timedelta(days=20), days=3, venue="Hall 6, East"
    )
    webinar = add_event(
        fairs,
        "Rod webinar",
        today() + timedelta(days=5),
        attendance="online",
        online_url="https://meet.example/rod",
        venue="",
        city="",
        country="",
        region=None,
        status="cancelled",
    )
    ended = add_event(fairs, "Old fair", today() - timedelta(days=30))

    feed = get(client, "/events/calendar.ics")
    assert feed.status_code == 200 and feed["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(feed.content)
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {fair.title, webinar.title}  # upcoming only
    vevent = events[fair.title]
    assert vevent.decoded("DTSTART") == fair.start_date  # an all-day DATE, not a date-time
    assert type(vevent.decoded("DTSTART")) is date
    assert vevent.decoded("DTEND") == fair.end_date + timedelta(days=1)  # exclusive
    assert str(vevent["LOCATION"]) == "Hall 6, East, Düsseldorf, Germany"
    assert "DTSTAMP" in vevent and str(vevent["URL"]).endswith(fair.url)
    assert str(events[webinar.title]["STATUS"]) == "CANCELLED"
    assert str(events[webinar.title]["LOCATION"]) == "https://meet.example/rod"

    again = Calendar.from_ical(get(client, "/events/calendar.ics").content)
    assert [str(e["UID"]) for e in again.walk("VEVENT")] == [
        str(e["UID"]) for e in calendar.walk("VEVENT")
    ]
    single = get(client, fair.ics_url)
    assert fair.ics_url.endswith("/events/wire-rod-bar-fair.ics")
    assert single["Content-Type"] == "text/calendar; charset=utf-8"
    (only,) = Calendar.from_ical(single.content).walk("VEVENT")
    assert str(only["UID"]) == str(vevent["UID"]) and str(only["SUMMARY"]) == fair.title
    # A past event keeps its file; its page links it.
    assert get(client, ended.ics_url).status_code == 200
    assert '"/events/old-fair.ics"' in text(get(client, ended.url))
    assert "/events/calendar.ics" in text(get(client, "/events/"))


def test_only_a_live_public_event_has_a_file(fairs, client, steel):
    shown = add_event(fairs, "Rod Expo", today() + timedelta(days=10))
    hidden = add_event(fairs, "Members Expo", today() + timedelta(days=20))
    PageViewRestriction.objects.create(page=hidden, restriction_type="login")
    draft = add_event(fairs, "Draft Expo", today() + timedelta(days=30))
    draft.unpublish()
    assert get(client, shown.ics_url).status_code == 200
    for path in (hidden.ics_url, draft.ics_url, "/events/fairs.ics", "/board/x.ics"):
        assert get(client, path).status_code == 404, path
    listing = TradeListingPage.objects.live().descendant_of(steel).first()
    on_the_board = f"/board/{listing.slug}.ics"  # a page of another section type
    assert client.get(on_the_board, HTTP_HOST=host("steel")).status_code == 404


def test_event_pages_carry_schema_org_event_data(fairs, client):
    fair = add_event(fairs, "Wire Expo", today() + timedelta(days=30), days=2, website="")
    data = json_ld(get(client, fair.url))
    assert data["@type"] == "Event" and data["name"] == "Wire Expo"
    assert data["startDate"] == fair.start_date.isoformat()
    assert data["endDate"] == fair.end_date.isoformat()
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["location"]["@type"] == "Place"
    assert data["location"]["address"]["addressLocality"] == "Düsseldorf"
    assert data["organizer"] == {"@type": "Organization", "name": "Wire Council"}

    hybrid = add_event(
        fairs,
        "Hybrid forum",
        today() + timedelta(days=9),
        attendance="hybrid",
        online_url="https://meet.example/forum",
        status="postponed",
    )
    data = json_ld(get(client, hybrid.url))
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert data["eventStatus"] == "https://schema.org/EventPostponed"
    assert [place["@type"] for place in data["location"]] == ["Place", "VirtualLocation"]


def test_editors_text_cannot_break_out_of_the_json_ld(fairs, client):
    hostile = "Expo</script><script>alert(1)</script>"
    fair = add_event(fairs, hostile, today() + timedelta(days=30), organiser="<b>Co</b>")
    response = get(client, fair.url)
    assert "</script><script>alert(1)" not in text(response)
    data = json_ld(response)
    assert data["name"] == hostile and data["organizer"]["name"] == "<b>Co</b>"
    soup = BeautifulSoup(response.content, "html.parser")
    runnable = [s for s in soup.find_all("script") if s.get("type", "") != "application/ld+json"]
    assert all(script.get("src") for script in runnable)


def test_exhibitors_are_the_portals_directory_companies(fairs, client, steel):
    section = fairs.get_children().get(slug="directory").specific
    company = CompanyPage(
        title="Rodmill GmbH",
        profile="Wire rod.",
        country="Germany",
        region=region(fairs, "europe"),
    )
    section.add_child(instance=company)
    company.save_revision().publish()
    fair = add_event(fairs, "Wire Expo", today() + timedelta(days=30))
    fair.exhibitors.set([company])
    fair.save_revision().publish()
    page = text(get(client, fair.url))
    assert "Exhibitors" in page and company.url in page and "Rodmill GmbH" in page

    # The editor offers this portal's companies only.
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("events-admin", "a@example.com", "pw")
    client.force_login(admin)
    form = client.get(f"/admin/pages/{fair.pk}/edit/", HTTP_HOST=HOST)
    assert form.status_code == 200
    choices = form.context["form"].fields["exhibitors"].queryset
    assert company in choices
    assert not choices.filter(pk__in=CompanyPage.objects.descendant_of(steel)).exists()


def test_searched_by_title_region_and_attendance(fairs, client):
    fair = add_event(fairs, "Galvanised wire summit", today() + timedelta(days=30))
    webinar = add_event(
        fairs,
        "Galvanised wire webinar",
        today() + timedelta(days=12),
        attendance="online",
        online_url="https://meet.example/galv",
        venue="",
        city="",
        country="",
        region=None,
    )
    document = SearchDocument.objects.get(page_id=fair.pk)
    assert (document.doc_type, document.portal, document.kind) == ("event", "fairmetals", "site")
    assert document.expires_on == fair.end_date and document.region.code == "europe"

    results = text(client.get("/search/", {"q": "galvanised"}, HTTP_HOST=HOST))
    assert fair.title in results and webinar.title in results and "Events" in results
    in_europe = text(
        client.get("/search/", {"q": "galvanised", "region": "europe"}, HTTP_HOST=HOST)
    )
    assert fair.title in in_europe and webinar.title not in in_europe
    online = text(client.get("/search/", {"q": "galvanised", "kind": "web"}, HTTP_HOST=HOST))
    assert webinar.title in online and fair.title not in online


def test_editors_get_clear_errors_for_impossible_events(fairs):
    section = section_of(fairs)
    cases = {
        "end_date": {"start_date": today(), "end_date": today() - timedelta(days=1)},
        "online_url": {"attendance": "online", "city": "", "country": ""},
        "city": {"city": ""},
        "slug": {"slug": "past"},
    }
    for field, changes in cases.items():
        values = {
            "title": "A fair",
            "slug": "a-fair",
            "summary": "A fair.",
            "organiser": "Council",
            "start_date": today(),
            "end_date": today(),
            "city": "Lyon",
            "country": "France",
            **changes,
        }
        with pytest.raises(ValidationError) as error:
            section.add_child(instance=EventPage(**values))
        assert field in error.value.message_dict, field


@pytest.mark.export
def test_exported_with_lists_under_every_filter_and_calendar_files(fairs, tmp_path):
    soon = add_event(fairs, "Wire Expo", today() + timedelta(days=40))
    ended = add_event(fairs, "Old fair", today() - timedelta(days=40), region=region(fairs, "asia"))
    build_static(
        tmp_path,
        "fairmetals",
        base_url="https://fairs.example.org",
        live_url="https://live.fairs.example.org",
    )
    site = tmp_path / "fairs.localhost"
    assert "Wire Expo" in (site / "events/index.html").read_text()
    assert "Old fair" in (site / "events/past/index.html").read_text()
    assert "Old fair" in (site / "events/past/region/asia/index.html").read_text()
    assert (site / "events/region/europe/index.html").exists()
    for event in (soon, ended):
        month = Month.of(event.start_date).slug
        assert event.title in (site / f"events/month/{month}/index.html").read_text()
        assert event.title in (site / f"events/{event.slug}/index.html").read_text()
        (vevent,) = Calendar.from_ical((site / f"events/{event.slug}.ics").read_bytes()).walk(
            "VEVENT"
        )
        assert str(vevent["URL"]).endswith(f"/events/{event.slug}/")
    feed = Calendar.from_ical((site / "events/calendar.ics").read_bytes())
    assert [str(e["SUMMARY"]) for e in feed.walk("VEVENT")] == ["Wire Expo"]
    assert "Wire Expo" in (site / "feeds/events/rss.xml").read_text()
    assert "/events/wire-expo/" in static_sitemap(site)


def test_demo_events_are_spread_in_time_with_directory_exhibitors(industries_dir):
    (industries_dir / "fairmetals.yaml").write_text(yaml.safe_dump(FAIRS))
    call_command("launch_portal", "fairmetals", hostname=HOST, demo=40, verbosity=0)
    home = PortalHomePage.objects.get(industry_slug="fairmetals")
    events = list(EventPage.objects.descendant_of(home).order_by("start_date"))
    assert len(events) == 8
    assert any(e.is_past for e in events) and any(not e.is_past for e in events)
    assert {e.attendance for e in events} >= {"online", "in-person"}
    assert all(
        today() - timedelta(days=186) <= e.start_date <= today() + timedelta(days=275)
        for e in events
    )
    companies = set(CompanyPage.objects.descendant_of(home).values_list("pk", flat=True))
    exhibitors = {c.pk for e in events for c in e.exhibitors.all()}
    assert exhibitors and exhibitors <= companies
    assert SearchDocument.objects.filter(doc_type="event", portal="fairmetals").count() == 8

    call_command("launch_portal", "fairmetals", hostname=HOST, demo=40, verbosity=0)
    again = list(EventPage.objects.descendant_of(home).order_by("start_date"))
    assert [(e.title, e.start_date) for e in again] == [(e.title, e.start_date) for e in events]
