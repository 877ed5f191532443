"""The market board from a member's side: posting, moderation, expiry, inquiries, quotes."""

import re
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.test import RequestFactory
from wagtail.models import WorkflowState

from portal import rendering
from portal.board import lifecycle
from portal.board.models import (
    NEWEST_FIRST,
    BuyRequestPage,
    Inquiry,
    Quote,
    SellOfferPage,
    TradeListingPage,
)
from portal.core.models import Category, PortalSettings, Region
from portal.rendering import STATIC_EXPORT_ATTR, ExportMemo

from .conftest import host, human
from .support import live_sitemap

pytestmark = pytest.mark.django_db


@pytest.fixture
def supplier(steel, make_member):
    return make_member(steel, "supplier")


@pytest.fixture
def moderator_of(site_of):
    def make(home, name="mod"):
        user = get_user_model().objects.create_user(
            f"{name}-{home.industry_slug}", f"{name}@x.test", "pw"
        )
        user.groups.add(PortalSettings.for_site(site_of(home)).moderators_group)
        return user

    return make


def offer_data(home, site_of, **extra) -> dict:
    site = site_of(home)
    category = (
        Category.objects.for_site(site).filter(children__isnull=True, parent__isnull=False).first()
    )
    settings = PortalSettings.for_site(site)
    data = dict(
        title="HRB500 rebar, 12 mm",
        category=category.pk,
        region=Region.objects.filter(site=site).first().pk,
        description="Fresh mill stock.\nLoading from our yard.",
        quantity="500",
        unit=settings.units[0]["code"],
        price_min="610",
        price_max="",
        currency=settings.currencies[0],
        incoterm="FOB",
        valid_until="",
        moq="50",
        specification="HRB500",
    )
    return human("listing", **{**data, **extra})


def post_offer(client, home, site_of, **extra):
    return client.post(
        "/members/post/sell/",
        offer_data(home, site_of, **extra),
        HTTP_HOST=host(home.industry_slug),
    )


def submitted(membership) -> SellOfferPage:
    return SellOfferPage.objects.filter(company=membership.company).latest("pk")


# Posting ---------------------------------------------------------------------------------


def test_a_posted_offer_waits_for_moderation(client, steel, supplier, site_of):
    client.force_login(supplier.user)
    response = post_offer(client, steel, site_of)
    assert response.status_code == 302
    page = submitted(supplier)
    assert not page.live
    assert page.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert page.valid_until == date.today() + timedelta(
        days=PortalSettings.for_site(site_of(steel)).sell_offer_days
    )
    dashboard = client.get("/members/", HTTP_HOST=host("steel")).content.decode()
    assert "HRB500 rebar, 12 mm" in dashboard
    assert "Awaiting moderation" in dashboard
    public = client.get(page.get_parent().url, HTTP_HOST=host("steel")).content.decode()
    assert "HRB500 rebar, 12 mm" not in public


def test_a_bad_form_shows_its_errors_and_keeps_what_was_typed(client, steel, supplier, site_of):
    client.force_login(supplier.user)
    response = post_offer(
        client, steel, site_of, price_max="500", description="<b>Great</b> steel", moq="900"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "The upper end must not be below the price." in html
    assert "Plain text only" in html
    assert "The minimum order cannot exceed the quantity offered." in html
    assert 'value="HRB500 rebar, 12 mm"' in html
    assert not SellOfferPage.objects.filter(title="HRB500 rebar, 12 mm").exists()


def test_only_the_portals_own_categories_are_offered_or_accepted(
    client, steel, textiles, supplier, site_of
):
    client.force_login(supplier.user)
    form = client.get("/members/post/sell/", HTTP_HOST=host("steel")).content.decode()
    foreign = Category.objects.for_site(site_of(textiles)).filter(parent__isnull=False).first()
    assert f'value="{foreign.pk}"' not in form
    response = post_offer(client, steel, site_of, category=foreign.pk)
    assert "Select a valid choice" in response.content.decode()


def test_posting_the_same_offer_twice_is_refused(client, steel, supplier, site_of):
    client.force_login(supplier.user)
    post_offer(client, steel, site_of)
    again = post_offer(client, steel, site_of)
    assert "You already posted this listing" in again.content.decode()
    assert (
        SellOfferPage.objects.filter(company=supplier.company, title="HRB500 rebar, 12 mm").count()
        == 1
    )


def test_visitors_must_sign_in_to_post(client, steel):
    response = client.get("/members/post/sell/", HTTP_HOST=host("steel"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# Moderation -------------------------------------------------------------------------------


def act(client, page, action, comment=""):
    task_state = page.current_workflow_state.current_task_state
    return client.post(
        f"/admin/pages/workflow/action/{page.pk}/{action}/{task_state.pk}/",
        {"comment": comment},
        HTTP_HOST="localhost:8000",
    )


def test_a_moderator_approves_and_the_lister_is_told(
    client, steel, supplier, site_of, moderator_of, django_capture_on_commit_callbacks
):
    client.force_login(supplier.user)
    post_offer(client, steel, site_of)
    page = submitted(supplier)
    client.force_login(moderator_of(steel))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        act(client, page, "approve")
    page.refresh_from_db()
    assert page.live
    approved = [m for m in mail.outbox if m.to == [supplier.user.email]]
    assert approved and "is live" in approved[0].subject
    assert page.full_url in approved[0].body


def test_a_moderator_rejects_with_a_reason_the_lister_sees(
    client, steel, supplier, site_of, moderator_of, django_capture_on_commit_callbacks
):
    client.force_login(supplier.user)
    post_offer(client, steel, site_of)
    page = submitted(supplier)
    client.force_login(moderator_of(steel))
    with django_capture_on_commit_callbacks(execute=True):
        act(client, page, "reject", comment="Add the steel grade, please.")
    page.refresh_from_db()
    assert not page.live
    rejected = [m for m in mail.outbox if m.to == [supplier.user.email]]
    assert "needs changes" in rejected[0].subject
    assert "Add the steel grade, please." in rejected[0].body
    client.force_login(supplier.user)
    dashboard = client.get("/members/", HTTP_HOST=host("steel")).content.decode()
    assert "Rejected" in dashboard and "Add the steel grade, please." in dashboard


def test_a_rejected_listing_can_be_edited_and_resubmitted(
    client, steel, supplier, site_of, moderator_of
):
    client.force_login(supplier.user)
    post_offer(client, steel, site_of)
    page = submitted(supplier)
    client.force_login(moderator_of(steel))
    act(client, page, "reject", comment="Grade?")
    client.force_login(supplier.user)
    data = offer_data(steel, site_of, title="HRB500 rebar, 12 mm, GB 1499.2")
    client.post(f"/members/listings/{page.pk}/edit/", data, HTTP_HOST=host("steel"))
    page.refresh_from_db()
    assert page.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert page.get_latest_revision_as_object().title.endswith("GB 1499.2")


def test_another_portals_moderator_cannot_approve(
    client, steel, textiles, supplier, site_of, moderator_of
):
    client.force_login(supplier.user)
    post_offer(client, steel, site_of)
    page = submitted(supplier)
    client.force_login(moderator_of(textiles))
    response = act(client, page, "approve")
    assert response.status_code in (302, 403, 404)
    page.refresh_from_db()
    assert not page.live


# Lifecycle --------------------------------------------------------------------------------


def live_offer(home, membership) -> SellOfferPage:
    page = (
        SellOfferPage.objects.live().descendant_of(home).filter(TradeListingPage.current()).first()
    )
    page.company = membership.company
    page.owner = membership.user
    page.save_revision().publish()
    return page


def test_expired_listings_are_unpublished_and_answer_410(client, steel, supplier):
    page = live_offer(steel, supplier)
    TradeListingPage.objects.filter(pk=page.pk).update(valid_until=date.today() - timedelta(days=1))
    before = client.get(page.url, HTTP_HOST=host("steel"))
    assert before.status_code == 410  # gone even before the job runs
    assert lifecycle.expire_due() >= 1
    page.refresh_from_db()
    assert not page.live
    response = client.get(page.url, HTTP_HOST=host("steel"))
    html = response.content.decode()
    assert response.status_code == 410
    assert "expired on" in html and "Similar live listings" in html
    board = client.get(page.get_parent().url, HTTP_HOST=host("steel")).content.decode()
    assert page.url not in board
    sitemap = live_sitemap(client, host("steel"))
    assert "/board/" in sitemap and page.url.rstrip("/") not in sitemap


def test_a_reminder_is_sent_once_before_expiry_and_renew_republishes(
    client, steel, supplier, settings
):
    page = live_offer(steel, supplier)
    TradeListingPage.objects.filter(pk=page.pk).update(valid_until=date.today() + timedelta(days=2))
    mail.outbox.clear()
    lifecycle.send_reminders(days=settings.LISTING_REMINDER_DAYS)
    lifecycle.send_reminders(days=settings.LISTING_REMINDER_DAYS)
    mine = [m for m in mail.outbox if m.to == [supplier.user.email]]
    assert len(mine) == 1 and "Expires in 2 days" in mine[0].subject
    TradeListingPage.objects.filter(pk=page.pk).update(valid_until=date.today() - timedelta(days=1))
    lifecycle.expire_due()
    client.force_login(supplier.user)
    client.post(f"/members/listings/{page.pk}/renew/", HTTP_HOST=host("steel"))
    page.refresh_from_db()
    assert page.live and page.valid_until > date.today()
    assert client.get(page.url, HTTP_HOST=host("steel")).status_code == 200


def test_marking_fulfilled_takes_the_listing_off_the_board(client, steel, supplier):
    page = live_offer(steel, supplier)
    client.force_login(supplier.user)
    client.post(
        f"/members/listings/{page.pk}/close/", {"reason": "fulfilled"}, HTTP_HOST=host("steel")
    )
    page.refresh_from_db()
    assert not page.live and page.close_reason == "fulfilled"
    client.logout()
    response = client.get(page.url, HTTP_HOST=host("steel"))
    assert response.status_code == 410 and "fulfilled" in response.content.decode()


def test_members_cannot_touch_other_companies_listings(client, steel, supplier, make_member):
    page = live_offer(steel, supplier)
    other = make_member(steel, "other")
    client.force_login(other.user)
    response = client.post(
        f"/members/listings/{page.pk}/close/", {"reason": "closed"}, HTTP_HOST=host("steel")
    )
    assert response.status_code == 404
    page.refresh_from_db()
    assert page.live


# Inquiries ---------------------------------------------------------------------------------


def inquiry(**extra) -> dict:
    data = dict(
        name="Ada Buyer",
        email="ada.buyer@example.com",
        company="Buyers Ltd",
        quantity="20",
        message="Can you deliver 20 t in March?",
    )
    return human("inquiry", **{**data, **extra})


def test_an_inquiry_is_stored_and_relayed_without_exposing_addresses(client, steel, supplier):
    page = live_offer(steel, supplier)
    mail.outbox.clear()
    response = client.post(
        f"/market/listings/{page.pk}/inquiry/", inquiry(), HTTP_HOST=host("steel")
    )
    assert response.status_code == 302
    stored = Inquiry.objects.get(listing=page)
    assert stored.relayed_at is not None
    relayed = mail.outbox[-1]
    assert relayed.to == [supplier.user.email]
    assert relayed.reply_to == ["ada.buyer@example.com"]
    assert "Can you deliver 20 t in March?" in relayed.body
    html = client.get(page.url, HTTP_HOST=host("steel")).content.decode()
    assert supplier.user.email not in html and "ada.buyer@example.com" not in html
    client.force_login(supplier.user)
    dashboard = client.get("/members/", HTTP_HOST=host("steel")).content.decode()
    assert "Can you deliver 20 t in March?" in dashboard


def test_an_invalid_inquiry_rerenders_the_listing_with_errors(client, steel, supplier):
    page = live_offer(steel, supplier)
    response = client.post(
        f"/market/listings/{page.pk}/inquiry/",
        inquiry(email="not-an-email"),
        HTTP_HOST=host("steel"),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid email address." in html
    assert "Can you deliver 20 t in March?" in html
    assert not Inquiry.objects.filter(listing=page).exists()


def test_the_same_inquiry_twice_is_stored_once(client, steel, supplier):
    page = live_offer(steel, supplier)
    for _ in range(2):
        client.post(f"/market/listings/{page.pk}/inquiry/", inquiry(), HTTP_HOST=host("steel"))
    assert Inquiry.objects.filter(listing=page).count() == 1


def test_admin_inquiries_are_visible_to_their_portals_moderators_only(
    client, steel, textiles, supplier, moderator_of
):
    page = live_offer(steel, supplier)
    client.post(f"/market/listings/{page.pk}/inquiry/", inquiry(), HTTP_HOST=host("steel"))
    stored = Inquiry.objects.get(listing=page)
    client.force_login(moderator_of(steel))
    assert (
        "Ada Buyer" in client.get("/admin/inquiries/", HTTP_HOST="localhost:8000").content.decode()
    )
    assert (
        client.get(f"/admin/inquiries/inspect/{stored.pk}/", HTTP_HOST="localhost:8000").status_code
        == 200
    )
    client.force_login(moderator_of(textiles))
    assert (
        "Ada Buyer"
        not in client.get("/admin/inquiries/", HTTP_HOST="localhost:8000").content.decode()
    )
    assert (
        client.get(f"/admin/inquiries/inspect/{stored.pk}/", HTTP_HOST="localhost:8000").status_code
        == 404
    )


def test_an_inquiry_about_another_portals_listing_is_refused(client, steel, textiles, supplier):
    page = live_offer(steel, supplier)
    response = client.post(
        f"/market/listings/{page.pk}/inquiry/", inquiry(), HTTP_HOST=host("textiles")
    )
    assert response.status_code == 404


# Quotes -----------------------------------------------------------------------------------


@pytest.fixture
def buy_request(steel, make_member):
    buyer = make_member(steel, "buyer")
    page = (
        BuyRequestPage.objects.live()
        .descendant_of(steel)
        .filter(TradeListingPage.current())
        .first()
    )
    page.company, page.owner = buyer.company, buyer.user
    page.save_revision().publish()
    return page, buyer


def quote(**extra) -> dict:
    data = dict(
        price="590",
        currency="USD",
        quantity="100",
        lead_time_days="30",
        incoterm="CIF",
        message="Ex stock",
    )
    return {f"quote-{name}": value for name, value in human("quote", **{**data, **extra}).items()}


def test_quotes_are_private_and_the_requester_accepts_one(
    client, steel, supplier, make_member, buy_request
):
    page, buyer = buy_request
    rival = make_member(steel, "rival")
    for member in (supplier, rival):
        client.force_login(member.user)
        client.post(f"/market/listings/{page.pk}/quote/", quote(), HTTP_HOST=host("steel"))
    assert page.quotes.count() == 2
    client.logout()
    public = client.get(page.url, HTTP_HOST=host("steel")).content.decode()
    assert "2 of" in public and "Ex stock" not in public and "590" not in public
    client.force_login(buyer.user)
    dashboard = client.get("/members/", HTTP_HOST=host("steel")).content.decode()
    assert "590 USD" in dashboard
    first = page.quotes.get(membership=supplier)
    client.post(f"/members/quotes/{first.pk}/accept/", HTTP_HOST=host("steel"))
    assert {q.membership_id: q.status for q in page.quotes.all()} == {
        supplier.pk: Quote.ACCEPTED,
        rival.pk: Quote.DECLINED,
    }


def test_quote_cap_and_own_requests(client, steel, supplier, buy_request, site_of):
    page, buyer = buy_request
    settings = PortalSettings.for_site(site_of(steel))
    settings.quote_cap = 0
    settings.save()
    client.force_login(supplier.user)
    response = client.post(
        f"/market/listings/{page.pk}/quote/", quote(), HTTP_HOST=host("steel"), follow=True
    )
    assert "the most quotes it takes" in response.content.decode()
    settings.quote_cap = 5
    settings.save()
    client.force_login(buyer.user)
    response = client.post(
        f"/market/listings/{page.pk}/quote/", quote(), HTTP_HOST=host("steel"), follow=True
    )
    assert "You cannot quote on your own request." in response.content.decode()
    assert page.quotes.count() == 0


# Matching ---------------------------------------------------------------------------------


def test_matching_listings_are_shown_and_opted_in_members_alerted(
    client, steel, supplier, buy_request, make_member, django_capture_on_commit_callbacks
):
    page, _buyer = buy_request
    offer = live_offer(steel, supplier)
    offer.category, offer.region = page.category, page.region
    offer.save_revision().publish()
    html = client.get(page.url, HTTP_HOST=host("steel")).content.decode()
    assert "Matching sell offers" in html and offer.title in html
    supplier.notify_matches = True
    supplier.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    alerts = [m for m in mail.outbox if m.to == [supplier.user.email]]
    assert len(alerts) == 1 and page.title in alerts[0].body
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert len([m for m in mail.outbox if m.to == [supplier.user.email]]) == 1


# Anti-abuse -------------------------------------------------------------------------------


def test_the_honeypot_and_the_minimum_fill_time_stop_bots(client, steel, supplier, settings):
    page = live_offer(steel, supplier)
    url = f"/market/listings/{page.pk}/inquiry/"
    trapped = client.post(url, inquiry(website="http://spam.example"), HTTP_HOST=host("steel"))
    assert "could not be sent" in trapped.content.decode()
    settings.FORM_MIN_FILL_SECONDS = 120
    rushed = client.post(url, inquiry(), HTTP_HOST=host("steel"))
    assert "quicker than a person types" in rushed.content.decode()
    forged = client.post(url, inquiry(started="forged"), HTTP_HOST=host("steel"))
    assert "Please send it again" in forged.content.decode()
    assert not Inquiry.objects.filter(listing=page).exists()


def test_too_many_inquiries_get_a_themed_429(client, steel, supplier, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "inquiry": "2/h"}
    page = live_offer(steel, supplier)
    url = f"/market/listings/{page.pk}/inquiry/"
    codes = [
        client.post(url, inquiry(message=f"Message {n}"), HTTP_HOST=host("steel")).status_code
        for n in range(3)
    ]
    assert codes == [302, 302, 429]
    response = client.post(url, inquiry(message="again"), HTTP_HOST=host("steel"))
    assert "Too many requests" in response.content.decode()
    assert response["Retry-After"]
    assert Inquiry.objects.filter(listing=page).count() == 2


# Edge cases found in review -----------------------------------------------------------------


def test_renew_publishes_what_was_approved_never_a_newer_draft(client, steel, supplier):
    page = live_offer(steel, supplier)
    draft = page.get_latest_revision_as_object()
    draft.title = "Unapproved new title"
    draft.save_revision()
    client.force_login(supplier.user)
    client.post(f"/members/listings/{page.pk}/renew/", HTTP_HOST=host("steel"))
    page.refresh_from_db()
    assert page.live and page.title != "Unapproved new title"


def test_a_listing_the_moderators_withdrew_cannot_be_renewed_and_is_a_plain_404(
    client, steel, supplier
):
    page = live_offer(steel, supplier)
    page.unpublish()
    TradeListingPage.objects.filter(pk=page.pk).update(valid_until=date.today() - timedelta(days=3))
    client.force_login(supplier.user)
    dashboard = client.get("/members/", HTTP_HOST=host("steel")).content.decode()
    assert "Withdrawn by the moderators" in dashboard
    client.post(f"/members/listings/{page.pk}/renew/", HTTP_HOST=host("steel"))
    page.refresh_from_db()
    assert not page.live
    client.logout()
    assert client.get(page.url, HTTP_HOST=host("steel")).status_code == 404


def test_an_editors_redirect_wins_over_the_410(client, steel, supplier, site_of):
    from wagtail.contrib.redirects.models import Redirect

    page = live_offer(steel, supplier)
    lifecycle.close(page, supplier.user, "closed")
    Redirect.objects.create(
        old_path=Redirect.normalise_path(page.get_url_parts()[2]),
        site=site_of(steel),
        redirect_link="/board/",
    )
    response = client.get(page.url, HTTP_HOST=host("steel"))
    assert response.status_code in (301, 302) and response["Location"].endswith("/board/")


def test_approving_a_listing_that_waited_past_its_date_gives_it_a_full_run(
    client, steel, supplier, site_of, moderator_of
):
    client.force_login(supplier.user)
    post_offer(client, steel, site_of)
    page = submitted(supplier)
    TradeListingPage.objects.filter(pk=page.pk).update(valid_until=date.today() - timedelta(days=1))
    client.force_login(moderator_of(steel))
    act(client, page, "approve")
    page.refresh_from_db()
    assert page.live and page.valid_until > date.today()
    assert client.get(page.url, HTTP_HOST=host("steel")).status_code == 200


def test_a_member_without_a_company_owns_their_listings(client, steel, site_of, make_member):
    membership = make_member(steel, "solo")
    membership.company = None
    membership.save()
    client.force_login(membership.user)
    post_offer(client, steel, site_of)
    page = SellOfferPage.objects.get(owner=membership.user)
    assert page.company is None
    assert (
        "HRB500 rebar, 12 mm" in client.get("/members/", HTTP_HOST=host("steel")).content.decode()
    )
    client.post(
        f"/members/listings/{page.pk}/close/", {"reason": "closed"}, HTTP_HOST=host("steel")
    )
    page.refresh_from_db()
    assert page.closed_on == date.today()


def test_a_member_without_a_company_cannot_accept_other_peoples_quotes(
    client, steel, supplier, make_member
):
    orphan_request = (
        BuyRequestPage.objects.live().descendant_of(steel).filter(company__isnull=True).first()
    )
    quote = Quote.objects.create(
        request=orphan_request,
        membership=supplier,
        price=1,
        currency="USD",
        quantity=1,
        lead_time_days=1,
    )
    solo = make_member(steel, "solo")
    solo.company = None
    solo.save()
    client.force_login(solo.user)
    response = client.post(f"/members/quotes/{quote.pk}/accept/", HTTP_HOST=host("steel"))
    assert response.status_code == 404
    quote.refresh_from_db()
    assert quote.status == Quote.SUBMITTED


def test_inquiries_on_listings_without_a_lister_go_to_the_moderators_and_are_retried(
    client, steel, site_of, moderator_of, settings
):
    from portal.board.relay import relay_pending

    moderator = moderator_of(steel)
    page = (
        SellOfferPage.objects.live()
        .descendant_of(steel)
        .filter(TradeListingPage.current(), company__isnull=True, owner__isnull=True)
        .first()
    ) or SellOfferPage.objects.live().descendant_of(steel).filter(
        TradeListingPage.current()
    ).first()
    SellOfferPage.objects.filter(pk=page.pk).update(company=None, owner=None)
    settings.EMAIL_BACKEND = "tests.support.FailingEmailBackend"
    client.post(f"/market/listings/{page.pk}/inquiry/", inquiry(), HTTP_HOST=host("steel"))
    stored = Inquiry.objects.get(listing=page)
    assert stored.relayed_at is None  # the mail server was down; the inquiry is kept
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    assert relay_pending() == 1
    assert mail.outbox[0].to == [moderator.email]
    assert relay_pending() == 0


def test_client_ip_trusts_only_the_configured_proxies(rf, settings):
    from portal.defences.limits import client_ip

    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 1.2.3.4", REMOTE_ADDR="10.0.0.1")
    settings.TRUSTED_PROXIES = 0
    assert client_ip(request) == "10.0.0.1"
    settings.TRUSTED_PROXIES = 1
    assert client_ip(request) == "1.2.3.4"
    settings.TRUSTED_PROXIES = 3
    assert client_ip(request) == "10.0.0.1"


def test_negative_quotes_and_markup_in_any_text_field_are_refused(
    client, steel, supplier, buy_request, site_of
):
    page, _buyer = buy_request
    client.force_login(supplier.user)
    response = client.post(
        f"/market/listings/{page.pk}/quote/", quote(price="-5"), HTTP_HOST=host("steel")
    )
    assert "Ensure this value is greater than or equal to" in response.content.decode()
    response = post_offer(client, steel, site_of, specification="<script>x</script>")
    assert "Plain text only" in response.content.decode()
    assert not page.quotes.exists()


def test_the_board_jobs_command_reports_and_its_former_name_still_works(steel, capsys):
    call_command("run_board_jobs")
    assert "expired" in capsys.readouterr().out
    call_command("expire_listings")
    captured = capsys.readouterr()
    assert "now called run_board_jobs" in captured.err
    assert "relayed" in captured.out


def test_the_board_follows_its_listings_at_once(client, steel):
    def board() -> tuple[str, int]:
        html = client.get("/board/", HTTP_HOST=host("steel")).content.decode()
        return html, int(re.search(r'class="result-count">([\d,]+) ', html)[1].replace(",", ""))

    html, count = board()  # the board's listing as this process keeps it
    newest = (
        TradeListingPage.objects.open()
        .filter(url_path__startswith="/steel/board/")
        .order_by(*NEWEST_FIRST)
        .first()
        .specific
    )
    path = "/" + newest.url_path.split("/", 2)[2]
    assert f'{path}"' in html
    newest.unpublish()
    html, fewer = board()
    assert f'{path}"' not in html and fewer == count - 1
    newest.save_revision().publish()
    html, again = board()
    assert f'{path}"' in html and again == count
    # Closed behind the signals' back: the page's items are read again on every request.
    TradeListingPage.objects.filter(pk=newest.pk).update(closed_on=date.today())
    assert f'{path}"' not in board()[0]


def test_a_build_counts_the_quotes_of_every_request_once_as_the_live_page_does(
    steel, supplier, make_member, django_assert_num_queries, monkeypatch
):
    monkeypatch.setattr(rendering, "GROUP_AFTER", 2)
    requests = list(BuyRequestPage.objects.live().descendant_of(steel).order_by("pk")[:3])
    before = [page.open_quote_count() for page in requests]
    for page, statuses in zip(
        requests, [["submitted", "withdrawn"], ["accepted"], []], strict=True
    ):
        for number, status in enumerate(statuses):
            Quote.objects.create(
                request=page,
                membership=make_member(steel, f"quoter-{page.pk}-{number}"),
                price=1,
                currency="USD",
                quantity=1,
                lead_time_days=1,
                status=status,
            )
    live = [page.open_quote_count() for page in requests]
    assert live == [before[0] + 1, before[1] + 1, before[2]]  # withdrawn quotes do not count
    built = RequestFactory().get("/", HTTP_HOST=host("steel"))
    setattr(built, STATIC_EXPORT_ATTR, ExportMemo())
    with django_assert_num_queries(1):  # the first request a build shows is counted alone
        assert requests[0].open_quote_count(built) == live[0]
    requests[1].open_quote_count(built)  # then the build counts every request at once
    with django_assert_num_queries(0):
        assert [page.open_quote_count(built) for page in requests] == live
