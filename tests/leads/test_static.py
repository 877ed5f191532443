"""The enquiry form and the response figures in the static copy and the page cache."""

import shutil
from datetime import timedelta

import pytest
from django.utils.html import escape

from portal.core.changes import portal_changed
from portal.export.stamps import public_pages

from ..support import STATIC_LIVE, build_static
from .conftest import aged, enquiry_for, portal_client

pytestmark = pytest.mark.django_db


def built(out, page) -> str:
    return (out / "steel.localhost" / page.url_path.split("/", 2)[2] / "index.html").read_text()


def stamp_of(home, page) -> str:
    return next(stamp for pk, _, _, stamp in public_pages(home) if pk == page.pk)


def test_a_static_franchise_page_posts_its_enquiry_to_the_live_site(static_steel, franchise):
    html = built(static_steel, franchise)
    assert f'action="{STATIC_LIVE}/enquiries/{franchise.pk}/"' in html
    assert f'data-token-url="{STATIC_LIVE}/enquiries/form-token/"' in html
    assert "data-live-form" in html and "/js/live-forms." in html
    assert "csrfmiddlewaretoken" not in html


def test_the_company_page_stamp_moves_with_the_rounded_figures_only(steel, franchise):
    company = franchise.company
    before = stamp_of(steel, company)
    rows = [enquiry_for(franchise, email=f"{n}@example.com") for n in range(3)]
    for row in rows:
        aged(row, 2, timedelta(hours=2))
    with_figures = stamp_of(steel, company)
    assert with_figures != before
    aged(rows[0], 2, timedelta(hours=2, minutes=5))  # still "within 3 hours", still 100 %
    assert stamp_of(steel, company) == with_figures
    aged(rows[0], 2, None)  # 65 %: the page changes
    assert stamp_of(steel, company) != with_figures


def test_recording_a_first_reply_tells_the_page_cache(
    steel, franchise, member, django_capture_on_commit_callbacks
):
    enquiry = enquiry_for(franchise)
    heard = []

    def listen(sender, site_ids, **kwargs):
        heard.extend(site_ids)

    portal_changed.connect(listen, weak=False, dispatch_uid="leads-test")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            portal_client(steel, member.user).post(
                f"/members/enquiries/{enquiry.pk}/", {"status": "replied"}
            )
    finally:
        portal_changed.disconnect(dispatch_uid="leads-test")
    assert enquiry.site_id in heard


@pytest.mark.export
@pytest.mark.slow
def test_the_static_company_page_shows_the_figures_after_the_next_build(
    steel, franchise, static_steel, tmp_path
):
    out = tmp_path / "static"
    shutil.copytree(static_steel, out, symlinks=True)
    company = franchise.company
    assert "Not enough inquiries yet" in built(out, company)
    for n, replied in enumerate((timedelta(hours=1), timedelta(hours=20), None)):
        aged(enquiry_for(franchise, email=f"{n}@example.com"), 3, replied)
    build_static(out)
    html = built(out, company)
    assert "65 % of them, usually within 12 hours" in html
    assert escape("Not enough inquiries yet") not in html
