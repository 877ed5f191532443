"""Response rate and median time to reply: the maths, and what a company page shows."""

from datetime import datetime, timedelta

import pytest

from portal.leads.responses import ResponseFigures, figures, time_in_words
from portal.members.leads import LeadStatus

from .conftest import aged, enquiry_for, portal_client

T0 = datetime(2026, 3, 1, 9, 0)


def hours(n: float) -> timedelta:
    return timedelta(hours=n)


def test_rate_is_replied_over_received_and_the_median_counts_replies_only():
    found = figures([(T0, T0 + hours(2)), (T0, T0 + hours(10)), (T0, None), (T0, T0 + hours(4))])
    assert (found.received, found.replied) == (4, 3)
    assert found.rate == 0.75 and found.rate_shown == 75
    assert found.median == hours(4)


def test_the_median_of_an_even_number_of_replies_is_the_mean_of_the_middle_two():
    assert figures([(T0, T0 + hours(1)), (T0, T0 + hours(3))]).median == hours(2)


def test_no_replies_means_no_median_and_a_zero_rate():
    found = figures([(T0, None)] * 4)
    assert found.rate_shown == 0 and found.median is None and found.time_shown == ""


def test_a_reply_recorded_before_the_message_counts_as_immediate():
    assert figures([(T0, T0 - hours(1))]).median == timedelta(0)


def test_fewer_than_three_messages_are_not_enough():
    assert not figures([(T0, T0), (T0, T0)]).enough
    assert figures([(T0, T0)] * 3).enough
    assert ResponseFigures().shown() == ["not enough"]


@pytest.mark.parametrize(
    ("replied", "received", "shown"), [(2, 3, 65), (1, 3, 35), (5, 7, 70), (19, 20, 95)]
)
def test_the_rate_shown_is_rounded_to_five_percent(replied, received, shown):
    assert ResponseFigures(received, replied).rate_shown == shown


@pytest.mark.parametrize(
    ("delay", "words"),
    [
        (timedelta(minutes=20), "within an hour"),
        (hours(2), "within 3 hours"),
        (hours(24), "within 24 hours"),
        (hours(30), "within 2 days"),
        (timedelta(days=10), "within 14 days"),
        (timedelta(days=45), "after more than 30 days"),
    ],
)
def test_the_time_shown_is_rounded_up_to_a_step(delay, words):
    assert time_in_words(delay) == words


def test_a_status_change_records_the_first_reply_once():
    from portal.leads.models import Enquiry

    enquiry = Enquiry()
    assert enquiry.set_status(LeadStatus.LOST) is False and enquiry.replied_at is None
    assert enquiry.set_status(LeadStatus.REPLIED) is True
    first = enquiry.replied_at
    assert enquiry.set_status(LeadStatus.WON) is False and enquiry.replied_at == first
    assert enquiry.record_reply() is False and enquiry.status == LeadStatus.WON


@pytest.mark.django_db
def test_the_company_page_shows_its_response_figures(steel, franchise):
    for replied_after in (hours(2), hours(5), None, hours(30)):
        aged(enquiry_for(franchise, email=f"{replied_after}@example.com"), 3, replied_after)
    html = portal_client(steel).get(franchise.company.url).content.decode()
    assert "Responds to inquiries" in html
    assert "75 % of them, usually within 6 hours" in html


@pytest.mark.django_db
def test_old_messages_leave_the_figures_and_few_say_not_enough(steel, franchise):
    aged(enquiry_for(franchise, email="a@example.com"), 5, hours(1))
    aged(enquiry_for(franchise, email="b@example.com"), 100, None)
    aged(enquiry_for(franchise, email="c@example.com"), 120, None)
    html = portal_client(steel).get(franchise.company.url).content.decode()
    assert "Not enough inquiries yet" in html and "% of them" not in html


@pytest.mark.django_db
def test_board_inquiries_count_for_the_listings_company(steel):
    from portal.board.models import TradeListingPage

    from .conftest import inquiry_for

    listing = TradeListingPage.objects.open().descendant_of(steel).exclude(company=None).first()
    for index in range(3):
        aged(inquiry_for(listing, email=f"{index}@example.com"), 2, hours(1) if index else None)
    html = portal_client(steel).get(listing.company.url).content.decode()
    assert "65 % of them, usually within an hour" in html
