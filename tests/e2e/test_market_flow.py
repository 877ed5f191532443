"""In a real browser: register, post an offer, a moderator approves it, a visitor inquires,
the lister reads the inquiry; and an expired listing answers 410."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import PASSWORD

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

OFFER = "E2E rebar HRB500 12 mm, 800 t"
INQUIRY = "Could you ship 200 t to Gdansk in March?"


def confirmation_link(demo, email: str) -> str:
    for text in reversed(demo.mails()):
        if f"To: {email}" in text:
            return re.search(r"(http://\S+/accounts/confirm-email/\S+)", text).group(1)
    raise AssertionError(f"no confirmation email to {email}")


def test_from_registration_to_an_inquiry_in_the_dashboard(live_demo, new_page):
    supplier = new_page()
    # Register on the steel portal; the honeypot is in the page but nobody sees it.
    supplier.goto(live_demo.url("steel", "/accounts/signup/"))
    trap = supplier.locator(".hp-field").bounding_box()
    assert trap is None or trap["x"] + trap["width"] <= 0 or trap["width"] <= 1
    supplier.fill("#id_email", "e2e.supplier@example.com")
    supplier.fill("#id_password1", "E2e-long-passphrase")
    supplier.fill("#id_password2", "E2e-long-passphrase")
    supplier.fill("#id_company_name", "Playwright Steel")
    supplier.fill("#id_country", "Poland")
    supplier.select_option("#id_region", index=0)
    supplier.get_by_role("button", name=re.compile("join|sign up", re.I)).click()
    supplier.wait_for_url("**/accounts/confirm-email/")
    supplier.goto(confirmation_link(live_demo, "e2e.supplier@example.com"))
    supplier.get_by_role("button", name=re.compile("confirm", re.I)).click()
    supplier.wait_for_url("**/members/")

    # Post a sell offer.
    supplier.get_by_role("link", name="Post a sell offer").first.click()
    supplier.fill("#id_title", OFFER)
    supplier.select_option("#id_category", index=1)
    supplier.select_option("#id_region", index=1)
    supplier.fill("#id_description", "Mill certificates.\nLoading in Gdansk.")
    supplier.fill("#id_quantity", "800")
    supplier.fill("#id_price_min", "610")
    supplier.select_option("#id_currency", index=1)
    supplier.get_by_role("button", name="Send for approval").click()
    supplier.wait_for_load_state()
    errors = supplier.locator(".notice--error, .field--error").all_inner_texts()
    assert not errors, errors
    supplier.wait_for_url("**/members/")
    row = supplier.locator("tr", has_text=OFFER)
    assert "awaiting moderation" in row.inner_text().lower()

    # The steel moderator approves it in the admin.
    moderator = new_page()
    moderator.goto(live_demo.url(None, "/admin/login/"))
    moderator.fill("#id_username", "steel-moderator")
    moderator.fill("#id_password", PASSWORD)
    moderator.get_by_role("button", name=re.compile("sign in", re.I)).click()
    moderator.get_by_role("link", name=OFFER).click()
    approve = moderator.get_by_role("button", name="Approve and Publish")
    if not approve.is_visible():
        moderator.locator("footer").get_by_role(
            "button", name=re.compile("more actions", re.I)
        ).click()
    approve.click()
    moderator.wait_for_url(re.compile(r".*/admin/.*"))
    moderator.wait_for_load_state()

    # A visitor finds it on the board and sends an inquiry.
    visitor = new_page()
    visitor.goto(live_demo.url("steel", "/board/"))
    visitor.get_by_role("link", name=OFFER).click()
    html = visitor.content()
    assert "e2e.supplier@example.com" not in html
    visitor.fill("#id_name", "Vera Visitor")
    visitor.fill("#id_email", "vera@example.net")
    visitor.fill("#id_message", INQUIRY)
    visitor.get_by_role("button", name="Send inquiry").click()
    # The page is cached for everyone: the form sends in the background, shown in place.
    expect(visitor.get_by_text("Your inquiry is on its way")).to_be_visible()
    assert "vera@example.net" not in visitor.content()

    # The lister sees it in the dashboard (and got it by email, reply-to the visitor).
    supplier.goto(live_demo.url("steel", "/members/"))
    assert INQUIRY in supplier.locator("#inquiries-heading + *").inner_text()
    relayed = [m for m in live_demo.mails() if f"Inquiry about {OFFER}" in m]
    assert relayed and "Reply-To: vera@example.net" in relayed[-1]


def test_a_visitor_without_script_sends_an_inquiry_from_a_cached_page(live_demo, browser):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_demo.url("steel", "/board/"))
        page.locator(".card a").first.click()
        page.fill("#id_name", "Nora Noscript")
        page.fill("#id_email", "nora@example.net")
        page.fill("#id_message", "Do you ship to Rotterdam? Please quote CIF.")
        page.get_by_role("button", name="Send inquiry").click()
        assert page.get_by_text("Your inquiry is on its way").is_visible()
    finally:
        context.close()


def test_an_expired_listing_answers_410_with_alternatives(live_demo, new_page):
    url = (
        live_demo.manage(
            "shell",
            "-c",
            "from portal.board.models import TradeListingPage as T;"
            "print(T.objects.filter(live=False, expired=True).first().full_url)",
        )
        .strip()
        .splitlines()[-1]
    )
    page = new_page()
    response = page.goto(url)
    assert response.status == 410
    assert page.get_by_role("heading", level=1).is_visible()
    assert "expired on" in page.content()
    assert page.get_by_role("link", name=re.compile("Browse the")).is_visible()
