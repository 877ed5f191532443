"""The embedded page cache (no Varnish): anonymous pages kept and purged by what changed."""

import pytest
from django.core import signing
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from portal.board.models import NEWEST_FIRST, BuyRequestPage, SellOfferPage
from portal.core.models.pages import filter_value
from portal.pagecache.purge import purge_portal
from portal.syndication.feeds import atom_path

from ..conftest import host, human

STEEL = host("steel")


@pytest.fixture
def page_cache(settings, tmp_path):
    settings.PAGE_CACHE = "django"
    settings.WAGTAILFRONTENDCACHE = {
        "django": {"BACKEND": "portal.pagecache.backends.DjangoCacheBackend"}
    }
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "pages"),
        },
    }


@pytest.fixture
def offer(steel) -> SellOfferPage:
    """The newest offer: on the board's first page and the home page's teasers."""
    offers = SellOfferPage.objects.live().descendant_of(steel).filter(company__isnull=False)
    return offers.order_by(*NEWEST_FIRST).first()


def path(page) -> str:
    return page.get_url_parts()[2]


def get(client, path: str, **headers):
    return client.get(path, HTTP_HOST=STEEL, **headers)


def publish_title(page, title: str, commit) -> None:
    page.title = title
    with commit(execute=True):
        page.save_revision().publish()


def test_a_second_visitor_gets_the_kept_page_without_a_query(client, steel, offer, page_cache):
    first = get(client, offer.url)
    assert first.status_code == 200 and first["X-Cache"] == "MISS"
    assert first["Cache-Control"] == "public, max-age=0"  # caches no purge reaches revalidate
    assert "Surrogate-Control" not in first  # the lifetime is the page cache's alone
    with CaptureQueriesContext(connection) as queries:
        second = get(client, offer.url)
    assert second["X-Cache"] == "HIT" and second.content == first.content
    assert len(queries) == 0


def test_a_kept_page_answers_304_to_its_etag(client, steel, offer, page_cache):
    etag = get(client, offer.url)["ETag"]
    assert get(client, offer.url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert get(client, offer.url, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_a_shared_page_carries_nothing_personal(client, steel, offer, page_cache):
    response = get(client, offer.url)
    html = response.content.decode()
    assert "csrfmiddlewaretoken" not in html and not response.cookies
    assert "data-live-form" in html and "live-forms.js" in html


def test_a_signed_in_visitor_is_never_shared(client, steel, offer, page_cache, make_member):
    member = make_member(steel, "reader")
    client.force_login(member.user)
    response = get(client, offer.url)
    assert "private" in response["Cache-Control"] and "X-Cache" not in response
    client.logout()
    client.cookies.clear()
    anonymous = get(client, offer.url).content.decode()
    assert "Sign out" not in anonymous


def test_an_edit_reaches_every_page_showing_the_listing(
    client, steel, offer, page_cache, django_capture_on_commit_callbacks
):
    company = offer.company.specific
    board = offer.get_parent().url
    pages = [offer.url, board, "/", company.url, "/feeds/board/rss.xml", "/sitemap.xml"]
    with django_capture_on_commit_callbacks(execute=True):
        purge_portal(offer.get_site())  # the snapshot a later change is compared with
    for path in pages:
        assert get(client, path).status_code == 200
        assert get(client, path)["X-Cache"] == "HIT"
    publish_title(
        offer, "Cold rolled coil, renamed for the cache test", django_capture_on_commit_callbacks
    )
    for path in pages[:5]:
        assert "renamed for the cache test" in get(client, path).content.decode(), path


def test_unpublishing_takes_the_listing_off_every_list(
    client, steel, offer, page_cache, django_capture_on_commit_callbacks
):
    board = offer.get_parent().url
    with django_capture_on_commit_callbacks(execute=True):
        purge_portal(offer.get_site())
    assert offer.url in get(client, board).content.decode()
    assert get(client, offer.url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        offer.unpublish()
    assert offer.url not in get(client, board).content.decode()
    assert get(client, offer.url).status_code in (404, 410)


def test_the_search_page_forgets_its_variants_on_any_change(
    client, steel, offer, page_cache, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        purge_portal(offer.get_site())
    first = get(client, "/search/?q=zanzibarite")
    assert get(client, "/search/?q=zanzibarite")["X-Cache"] == "HIT"
    assert "Zanzibarite" not in first.content.decode()
    publish_title(offer, "Zanzibarite plates", django_capture_on_commit_callbacks)
    assert get(client, "/search/?q=zanzibarite")["X-Cache"] == "MISS"


def test_purge_paths_follow_the_export_rules(steel, offer, django_capture_on_commit_callbacks):
    site = offer.get_site()
    assert purge_portal(site) == ["/"]  # no snapshot yet: the whole portal
    assert purge_portal(site) == []  # nothing changed
    offer.title = "A new title"
    offer.save_revision().publish()
    paths = purge_portal(site)
    board, company = offer.get_parent(), offer.company
    expected = {
        path(offer),
        path(board),
        "/",
        path(company),
        "/sitemaps/board.xml",
        "/feeds/board/rss.xml",
    }
    assert expected <= set(paths)
    news = [p for p in paths if p.startswith("/news/") or p.startswith("/sitemaps/news")]
    assert news == []  # another section's pages are not touched
    assert "/sitemap.xml" not in paths  # the index lists the same files


def test_a_quote_purges_the_request_that_counts_it(
    client, steel, page_cache, make_member, django_capture_on_commit_callbacks
):
    request = BuyRequestPage.objects.live().descendant_of(steel).order_by("pk").last()
    with django_capture_on_commit_callbacks(execute=True):
        purge_portal(request.get_site())
    get(client, request.url)
    assert get(client, request.url)["X-Cache"] == "HIT"
    member = make_member(steel, "quoter")
    client.force_login(member.user)
    data = {
        f"quote-{k}": v
        for k, v in human("quote", price="12.50", quantity="10", lead_time_days="14").items()
    }
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            f"/market/listings/{request.pk}/quote/",
            {**data, "quote-currency": "EUR"},
            HTTP_HOST=STEEL,
        )
    assert sent.status_code == 302 and request.quotes.count() == 1, sent.content.decode()[-3000:]
    client.logout()
    client.cookies.clear()
    assert get(client, request.url)["X-Cache"] == "MISS"


def test_a_visitor_without_script_can_send_the_cached_form(client, steel, offer, page_cache):
    html = get(client, offer.url).content.decode()
    started = html.split('name="started" value="', 1)[1].split('"', 1)[0]
    signing.loads(started, salt="guildhall.form-started")  # a real token in the kept page
    data = {
        **human("inquiry"),
        "name": "Ada",
        "email": "ada@example.org",
        "message": "Please send your price list.",
    }
    response = client.post(
        f"/market/listings/{offer.pk}/inquiry/",
        data,
        HTTP_HOST=STEEL,
        HTTP_ORIGIN=f"http://{STEEL}",
    )
    assert response.status_code in (200, 302)
    assert offer.inquiries.filter(email="ada@example.org").exists()


def test_a_post_from_another_site_without_a_token_is_refused(steel, offer, page_cache):
    client = Client(enforce_csrf_checks=True)
    data = {**human("inquiry"), "name": "Eve", "email": "eve@example.org", "message": "Hello."}
    response = client.post(
        f"/market/listings/{offer.pk}/inquiry/",
        data,
        HTTP_HOST=STEEL,
        HTTP_ORIGIN="https://evil.example",
    )
    assert response.status_code == 403
    assert not offer.inquiries.filter(email="eve@example.org").exists()


def test_the_form_token_endpoint_is_never_shared(client, steel, page_cache):
    response = get(client, "/market/form-token/")
    assert "no-store" in response["Cache-Control"] and response.json()["csrf"]


def test_a_broken_cache_serves_pages_uncached(client, steel, offer, settings):
    settings.PAGE_CACHE = "django"
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        },
    }
    assert get(client, offer.url).status_code == 200
    assert get(client, offer.url).status_code == 200


def test_hosts_outside_allowed_hosts_are_refused_not_kept(
    client, steel, offer, page_cache, settings
):
    settings.ALLOWED_HOSTS = [".localhost"]
    assert client.get(offer.url, HTTP_HOST="evil.example").status_code == 400
    assert get(client, offer.url).status_code == 200


def test_query_strings_are_not_shared_outside_the_search(client, steel, offer, page_cache):
    board = offer.get_parent().url
    get(client, board)
    response = get(client, board + "?utm_source=<script>")
    assert "X-Cache" not in response  # rendered for this request alone
    assert get(client, board)["X-Cache"] == "HIT"


def test_a_kept_page_answers_304_since_it_was_rendered(client, steel, offer, page_cache):
    modified = get(client, offer.url)["Last-Modified"]
    assert get(client, offer.url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304


def test_purge_cache_forgets_a_portal(client, steel, offer, page_cache):
    from django.core.management import call_command

    get(client, offer.url)
    assert get(client, offer.url)["X-Cache"] == "HIT"
    call_command("purge_cache", "steel", verbosity=0)
    assert get(client, offer.url)["X-Cache"] == "MISS"


def test_purge_cache_says_what_is_wrong(page_cache, db):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="no portal launched for: nowhere"):
        call_command("purge_cache", "nowhere")
    with pytest.raises(CommandError, match="name the portals"):
        call_command("purge_cache")


def test_deleting_a_listing_takes_it_off_the_kept_lists(
    client, steel, offer, page_cache, django_capture_on_commit_callbacks
):
    board = path(offer.get_parent())
    with django_capture_on_commit_callbacks(execute=True):
        purge_portal(offer.get_site())
    assert path(offer) in get(client, board).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        offer.delete()
    assert path(offer) not in get(client, board).content.decode()
    assert get(client, path(offer)).status_code in (404, 410)


def test_new_portal_settings_reach_every_page_and_the_hub(
    client, steel, offer, page_cache, django_capture_on_commit_callbacks
):
    from portal.core.models import PortalSettings

    with django_capture_on_commit_callbacks(execute=True):
        purge_portal(offer.get_site())
    hub = client.get("/", HTTP_HOST="localhost:8000")
    assert client.get("/", HTTP_HOST="localhost:8000")["X-Cache"] == "HIT"
    get(client, path(offer))
    settings_row = PortalSettings.objects.get(site=offer.get_site())
    settings_row.colour_primary = "#123456"
    with django_capture_on_commit_callbacks(execute=True):
        settings_row.save()
    assert "#123456" in get(client, path(offer)).content.decode()
    assert client.get("/", HTTP_HOST="localhost:8000")["X-Cache"] == "MISS"
    assert hub.status_code == 200


def test_a_page_rendered_before_a_change_is_not_kept_after_it(
    client, steel, offer, page_cache, rf, django_capture_on_commit_callbacks
):
    """A render that began before a publication and ends after its purge is served once,
    to its own visitor, and never kept."""
    from portal.pagecache import store

    with django_capture_on_commit_callbacks(execute=True):
        purge_portal(offer.get_site())
    request = rf.get(path(offer), HTTP_HOST=STEEL)
    _, ticket = store.get(request, "")  # the render starts...
    stale = get(client, path(offer))
    publish_title(offer, "Published during a render", django_capture_on_commit_callbacks)
    store.put(ticket, stale, 3600)  # ...and ends after the purge
    assert "Published during a render" in get(client, path(offer)).content.decode()


def test_the_hub_search_forgets_its_results_when_a_portal_changes(
    client, steel, offer, page_cache, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        purge_portal(offer.get_site())
    client.get("/search/?q=coil", HTTP_HOST="localhost:8000")
    assert client.get("/search/?q=coil", HTTP_HOST="localhost:8000")["X-Cache"] == "HIT"
    publish_title(offer, "Coil renamed for the hub", django_capture_on_commit_callbacks)
    assert client.get("/search/?q=coil", HTTP_HOST="localhost:8000")["X-Cache"] == "MISS"


def test_deleting_a_company_reaches_the_listings_that_named_it(
    client, steel, offer, page_cache, django_capture_on_commit_callbacks
):
    company = offer.company
    with django_capture_on_commit_callbacks(execute=True):
        purge_portal(offer.get_site())
    assert company.title in get(client, path(offer)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        company.delete()
    assert f'href="{path(company)}"' not in get(client, path(offer)).content.decode()


def test_another_port_in_the_host_never_reaches_the_portals_visitors(client, steel, page_cache):
    for path in ("/robots.txt", "/feeds/board/atom.xml", "/sitemap.xml"):
        client.get(path, HTTP_HOST="steel.localhost:31337")
        assert "31337" not in get(client, path).content.decode(), path


def test_a_filters_and_a_companys_feeds_are_kept_and_purged(
    client, steel, offer, page_cache, django_capture_on_commit_callbacks
):
    board, company = offer.get_parent().specific, offer.company.specific
    feeds = [
        atom_path(board.slug, board.filter_suffix("category", filter_value(offer.category))),
        atom_path(company.get_parent().slug, company.slug + "/"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        purge_portal(offer.get_site())
    for feed in feeds:
        assert get(client, feed).status_code == 200, feed
        assert get(client, feed)["X-Cache"] == "HIT", feed
    publish_title(offer, "Coil renamed for the feed cache test", django_capture_on_commit_callbacks)
    for feed in feeds:
        assert "renamed for the feed cache test" in get(client, feed).content.decode(), feed
