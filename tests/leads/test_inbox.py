"""The members' inbox: their company's inquiries and enquiries, statuses, private notes,
replies, CSV; nothing of another company or portal."""

import csv
import io
from datetime import timedelta

import pytest
from django.core import mail

from portal.board.models import TradeListingPage
from portal.leads.models import Enquiry

from .conftest import enquiry_for, inquiry_for, portal_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def listing(member) -> TradeListingPage:
    """An open board listing of the member's company."""
    listing = (
        TradeListingPage.objects.open().descendant_of(member.site.root_page).order_by("pk").first()
    )
    TradeListingPage.objects.filter(pk=listing.pk).update(company=member.company, owner=None)
    listing.refresh_from_db()
    return listing


def test_the_inbox_lists_the_companys_inquiries_and_enquiries_newest_first(
    steel, franchise, member, listing, outsider
):
    older = inquiry_for(listing, name="Ada Buyer")
    newer = enquiry_for(franchise, name="Ida Investor")
    Enquiry.objects.filter(pk=newer.pk).update(created_at=older.created_at + timedelta(hours=1))
    elsewhere = enquiry_for(franchise, name="Not Mine")
    Enquiry.objects.filter(pk=elsewhere.pk).update(company=outsider.company)
    html = portal_client(steel, member.user).get("/members/inquiries/").content.decode()
    assert html.index("Ida Investor") < html.index("Ada Buyer")
    assert "Not Mine" not in html
    dashboard = portal_client(steel, member.user).get("/members/").content.decode()
    assert 'href="/members/inquiries/"' in dashboard


def test_statuses_filter_the_inbox(steel, franchise, member):
    enquiry_for(franchise, name="Still New")
    won = enquiry_for(franchise, name="Deal Done", email="deal@example.com")
    Enquiry.objects.filter(pk=won.pk).update(status="won")
    client = portal_client(steel, member.user)
    html = client.get("/members/inquiries/?status=won").content.decode()
    assert "Deal Done" in html and "Still New" not in html
    everything = client.get("/members/inquiries/?status=bogus").content.decode()
    assert "Deal Done" in everything and "Still New" in everything


def test_marking_replied_records_the_first_reply_once(steel, franchise, member):
    enquiry = enquiry_for(franchise)
    client = portal_client(steel, member.user)
    url = f"/members/enquiries/{enquiry.pk}/"
    response = client.post(url, {"status": "replied", "next": "inbox"})
    assert response.status_code == 302 and response["Location"] == "/members/inquiries/"
    enquiry.refresh_from_db()
    first = enquiry.replied_at
    assert enquiry.status == "replied" and first is not None
    client.post(url, {"status": "won", "notes": "Signed for two outlets."})
    enquiry.refresh_from_db()
    assert (enquiry.status, enquiry.notes, enquiry.replied_at) == (
        "won",
        "Signed for two outlets.",
        first,
    )


def test_notes_are_kept_when_only_the_status_changes(steel, franchise, member):
    enquiry = enquiry_for(franchise, notes="Call back on Monday.")
    portal_client(steel, member.user).post(
        f"/members/enquiries/{enquiry.pk}/", {"status": "replied"}
    )
    enquiry.refresh_from_db()
    assert enquiry.notes == "Call back on Monday."


def test_lost_is_no_reply(steel, franchise, member):
    enquiry = enquiry_for(franchise)
    portal_client(steel, member.user).post(f"/members/enquiries/{enquiry.pk}/", {"status": "lost"})
    enquiry.refresh_from_db()
    assert enquiry.status == "lost" and enquiry.replied_at is None


def test_a_bad_status_or_html_notes_rerender_with_errors(steel, franchise, member):
    enquiry = enquiry_for(franchise)
    client = portal_client(steel, member.user)
    url = f"/members/enquiries/{enquiry.pk}/"
    response = client.post(url, {"status": "bogus", "notes": "keep me"})
    assert response.status_code == 400 and "keep me" in response.content.decode()
    response = client.post(url, {"status": "replied", "notes": "<script>x</script>"})
    assert response.status_code == 400
    enquiry.refresh_from_db()
    assert enquiry.status == "new" and enquiry.notes == ""


def test_board_inquiries_take_statuses_too(steel, member, listing):
    inquiry = inquiry_for(listing)
    portal_client(steel, member.user).post(
        f"/members/inquiries/{inquiry.pk}/", {"status": "won", "notes": "Sold 20 t."}
    )
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.notes) == ("won", "Sold 20 t.")
    assert inquiry.replied_at is not None


def test_a_reply_through_the_portal_goes_from_the_member_and_counts(steel, franchise, member):
    enquiry = enquiry_for(franchise, email="ida@example.com")
    mail.outbox.clear()
    response = portal_client(steel, member.user).post(
        f"/members/enquiries/{enquiry.pk}/reply/",
        {"message": "Thank you: the information pack is attached to our next email."},
    )
    assert response.status_code == 302
    sent = mail.outbox[-1]
    assert sent.to == ["ida@example.com"] and sent.reply_to == [member.user.email]
    assert "information pack" in sent.body
    enquiry.refresh_from_db()
    assert enquiry.status == "replied" and enquiry.replied_at is not None


def test_an_empty_reply_is_refused(steel, franchise, member):
    enquiry = enquiry_for(franchise)
    mail.outbox.clear()
    response = portal_client(steel, member.user).post(
        f"/members/enquiries/{enquiry.pk}/reply/", {"message": ""}
    )
    assert response.status_code == 400 and not mail.outbox


def test_the_csv_export_has_the_leads_with_formulas_neutralised(steel, franchise, member):
    enquiry_for(franchise, name="=HYPERLINK(1)", notes="+private", timeline="3m")
    response = portal_client(steel, member.user).get("/members/inquiries/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Kind", "ID", "Received"]
    assert rows[1][0] == "Franchise" and rows[1][5] == "'=HYPERLINK(1)"
    assert rows[1][-1] == "'+private" and "Timeline: Within 3 months" in rows[1][8]


def member_urls(kind: str, pk: int) -> list[tuple[str, str]]:
    base = f"/members/{'inquiries' if kind == 'inquiry' else 'enquiries'}/{pk}/"
    return [("get", base), ("post", base), ("post", base + "reply/")]


def test_another_companys_leads_are_a_404(steel, franchise, member, outsider, listing):
    enquiry, inquiry = enquiry_for(franchise), inquiry_for(listing)
    client = portal_client(steel, outsider.user)
    for kind, pk in (("enquiry", enquiry.pk), ("inquiry", inquiry.pk)):
        for method, url in member_urls(kind, pk):
            data = {"status": "won", "message": "hi"} if method == "post" else None
            assert getattr(client, method)(url, data).status_code == 404, url
    enquiry.refresh_from_db()
    assert enquiry.status == "new"
    export = client.get("/members/inquiries/export.csv").content.decode()
    assert enquiry.email not in export and inquiry.email not in export


def test_another_portals_member_gets_404s(textiles, franchise, member, make_member, listing):
    enquiry, inquiry = enquiry_for(franchise), inquiry_for(listing)
    stranger = make_member(textiles, "weaver")
    for host_home, user in ((textiles, stranger.user), (textiles, member.user)):
        client = portal_client(host_home, user)
        for kind, pk in (("enquiry", enquiry.pk), ("inquiry", inquiry.pk)):
            for method, url in member_urls(kind, pk):
                response = getattr(client, method)(url, {"status": "won", "message": "x"})
                assert response.status_code in (302, 404), url
                if response.status_code == 302:  # not a member here: asked to join
                    assert "/members/join/" in response["Location"]


def test_unknown_kinds_and_ids_are_404s(steel, member):
    client = portal_client(steel, member.user)
    assert client.get("/members/inquiries/quote/1/").status_code == 404
    assert client.get("/members/enquiries/999999999/").status_code == 404
    assert client.get("/members/inquiries/0/").status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(steel, franchise):
    enquiry = enquiry_for(franchise)
    client = portal_client(steel)
    for url in ("/members/inquiries/", "/members/inquiries/export.csv"):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]
    response = client.post(f"/members/enquiries/{enquiry.pk}/", {"status": "won"})
    assert response.status_code == 302 and "login" in response["Location"]


def test_status_changes_need_a_csrf_token(steel, franchise, member):
    enquiry = enquiry_for(franchise)
    client = portal_client(steel, member.user, enforce_csrf_checks=True)
    response = client.post(f"/members/enquiries/{enquiry.pk}/", {"status": "won"})
    assert response.status_code == 403
