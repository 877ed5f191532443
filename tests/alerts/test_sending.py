"""send_alerts: what arrives, once, and what never does."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError
from django.utils import timezone

from portal.alerts import saving
from portal.alerts.models import DAILY, Delivery
from portal.board.models import TradeListingPage

from .support import board_of, open_listing, publish_now, save_alert


def category_url(home, listing) -> str:
    return f"/{board_of(home).slug}/category/{listing.category.slug}/"


@pytest.fixture
def listing(steel):
    return open_listing(steel, company__isnull=False)


def test_a_new_listing_arrives_with_one_click_unsubscribe(client, steel, listing, send):
    alert = save_alert(steel, url=category_url(steel, listing))
    publish_now(listing)
    summary = send()
    assert summary.emails == 1
    (message,) = mail.outbox
    assert message.to == ["reader@example.com"]
    assert listing.title in message.body and alert.label in message.subject
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<http") and "/alerts/unsubscribe/" in unsubscribe
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/alerts/manage/" in message.body
    assert Delivery.objects.filter(alert=alert, listing=listing).exists()


def test_a_rerun_sends_nothing_again(steel, listing, send):
    save_alert(steel, url=category_url(steel, listing))
    publish_now(listing)
    send()
    assert send().emails == 0
    assert len(mail.outbox) == 1


def test_a_crash_before_commit_sends_nothing_and_the_rerun_sends_once(
    steel, listing, monkeypatch, send
):
    save_alert(steel, url=category_url(steel, listing))
    publish_now(listing)

    def crash(*args, **kwargs):
        raise RuntimeError("the process died")

    # After recording the deliveries and queueing the email, before the commit.
    monkeypatch.setattr("portal.alerts.sending.Alert.objects.filter", crash)
    with pytest.raises(RuntimeError):
        send()
    assert mail.outbox == [] and not Delivery.objects.exists()
    monkeypatch.undo()
    assert send().emails == 1
    assert send().emails == 0
    assert len(mail.outbox) == 1


def test_the_database_refuses_a_second_delivery_of_a_listing(steel, listing):
    alert = save_alert(steel, url=category_url(steel, listing))
    Delivery.objects.create(alert=alert, listing=listing)
    with pytest.raises(IntegrityError):
        Delivery.objects.create(alert=alert, listing=listing)


def test_a_paused_alert_sends_nothing_and_resumes_with_what_comes_next(steel, listing, send):
    alert = save_alert(steel, url=category_url(steel, listing))
    saving.pause(alert, True)
    publish_now(listing)
    assert send().emails == 0
    saving.pause(alert, False)
    assert send().emails == 0  # it appeared while the alert was paused
    publish_now(listing)
    assert send().emails == 1


def test_an_expired_or_closed_listing_is_never_sent(steel, listing, send):
    save_alert(steel, url=category_url(steel, listing))
    publish_now(listing)
    yesterday = timezone.localdate() - timedelta(days=1)
    TradeListingPage.objects.filter(pk=listing.pk).update(valid_until=yesterday)
    assert send().emails == 0
    TradeListingPage.objects.filter(pk=listing.pk).update(
        valid_until=timezone.localdate() + timedelta(days=9), closed_on=yesterday
    )
    assert send().emails == 0
    assert mail.outbox == []


def test_another_portals_listing_is_never_sent(steel, textiles, listing, send):
    save_alert(steel, url="/search/")  # every new listing of steel
    other = publish_now(open_listing(textiles))
    summary = send()
    assert not Delivery.objects.filter(listing=other).exists()
    assert summary.emails == 0


def test_excluded_regions_are_left_out(steel, listing, send):
    alert = save_alert(steel, url=category_url(steel, listing))
    alert.excluded_regions = [listing.region_id]
    alert.save()
    publish_now(listing)
    assert send().emails == 0


def test_a_followed_company_sends_its_new_listings_only(steel, listing, send):
    save_alert(steel, company=str(listing.company_id))
    other = open_listing(steel, company__isnull=False)
    other = (
        TradeListingPage.objects.open()
        .descendant_of(steel)
        .exclude(company=listing.company)
        .first()
    )
    publish_now(listing)
    publish_now(other)
    send()
    (message,) = mail.outbox
    assert listing.title in message.body and other.title not in message.body


def test_a_followed_category_sends_listings_of_its_children_too(steel, listing, send):
    parent = listing.category.parent or listing.category
    save_alert(steel, category=parent.slug)
    publish_now(listing)
    assert send().emails == 1


def test_a_daily_digest_waits_a_day_after_the_last(steel, listing, send):
    alert = save_alert(steel, frequency=DAILY, url=category_url(steel, listing))
    publish_now(listing)
    assert send().emails == 1
    others = TradeListingPage.objects.open().descendant_of(steel).exclude(pk=listing.pk)
    publish_now(others.filter(category=listing.category).first() or others.first())
    alert.refresh_from_db()
    alert.filters = {}  # every listing, to have something new
    alert.save()
    assert send().emails == 0  # not a day yet
    later = timezone.now() + timedelta(days=1)
    assert send(now=later).emails == 1


def test_words_of_a_search_must_all_be_in_the_listing(steel, listing, send):
    first_word = listing.title.split()[0]
    save_alert(steel, url=f"/search/?q={first_word}")
    save_alert(steel, url=f"/search/?q={first_word}+zzzunheardof", email="other@example.com")
    publish_now(listing)
    send()
    assert [m.to for m in mail.outbox] == [["reader@example.com"]]
