"""Market reports: news articles of their own kind with attached documents, some kept for the
portal's members by Wagtail's privacy (the page and its documents)."""

import json
import re
from html import escape
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management import call_command
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from portal.core.models import PortalSettings
from portal.members.models import MembersGroup, Membership
from portal.news.models import NewsArticlePage, ReportDocument, file_size_label
from portal.pagecache.policy import shared_seconds

from .conftest import host
from .support import build_static, live_sitemap

pytestmark = pytest.mark.django_db
STEEL = host("steel")
ADMIN_HOST = "localhost:8000"


def reports(home, members_only: bool) -> list[NewsArticlePage]:
    """The portal's live reports, members-only ones or public ones, in tree order."""
    pages = NewsArticlePage.objects.live().descendant_of(home).filter(kind="report")
    restricted = set(PageViewRestriction.objects.values_list("page_id", flat=True))
    return [page for page in pages.order_by("path") if (page.pk in restricted) == members_only]


@pytest.fixture
def public_report(steel) -> NewsArticlePage:
    return reports(steel, members_only=False)[0]


@pytest.fixture
def private_report(steel) -> NewsArticlePage:
    return reports(steel, members_only=True)[0]


@pytest.fixture
def steel_editor(steel, site_of):
    user = get_user_model().objects.create_user("steel-ed", "ed@steel.test", "pw")
    user.groups.add(PortalSettings.for_site(site_of(steel)).editors_group)
    return user


@pytest.fixture
def textiles_editor(textiles, site_of):
    user = get_user_model().objects.create_user("tex-ed", "ed@textiles.test", "pw")
    user.groups.add(PortalSettings.for_site(site_of(textiles)).editors_group)
    return user


def get(client, path: str, **headers):
    return client.get(path, HTTP_HOST=STEEL, **headers)


def body_words(page: NewsArticlePage) -> str:
    """A sentence of the report's body that only a reader of the whole report sees."""
    paragraph = next(b for b in page.body if b.block_type == "paragraph")
    return re.sub(r"<[^>]+>", "", str(paragraph.value))[-40:]


def document_url(page: NewsArticlePage) -> str:
    return page.report_documents.first().document.url


# -- The demo and the launcher ----------------------------------------------------------------


def test_each_portal_has_public_and_members_only_reports_with_a_csv(steel, textiles):
    for home in (steel, textiles):
        public, private = reports(home, False), reports(home, True)
        assert public and private
        for page in public + private:
            attachment = page.report_documents.get()
            assert attachment.document.file_extension == "csv"
            assert attachment.document.file.read().startswith(b"month,category,region")


def test_members_only_documents_live_in_the_portals_private_collection(steel, site_of):
    access = MembersGroup.objects.get(site=site_of(steel))
    settings = PortalSettings.for_site(site_of(steel))
    assert access.collection.get_parent() == settings.collection
    restriction = CollectionViewRestriction.objects.get(collection=access.collection)
    assert set(restriction.groups.all()) == {
        access.group,
        settings.editors_group,
        settings.moderators_group,
    }
    for page in reports(steel, True):
        assert page.report_documents.get().document.collection == access.collection
        restriction = page.get_view_restrictions().get()
        assert access.group in restriction.groups.all()
    for page in reports(steel, False):
        assert page.report_documents.get().document.collection == settings.collection


def test_the_members_group_follows_memberships(steel, textiles, site_of, make_member):
    steel_group = MembersGroup.objects.get(site=site_of(steel)).group
    textiles_group = MembersGroup.objects.get(site=site_of(textiles)).group
    member = make_member(steel, "joiner")
    assert list(member.user.groups.all()) == [steel_group]
    assert not textiles_group.user_set.filter(pk=member.user.pk).exists()
    member.delete()
    assert not member.user.groups.exists()


def test_relaunching_puts_missing_members_back_in_their_group(steel, site_of, make_member):
    member = make_member(steel, "latecomer")
    group = MembersGroup.objects.get(site=site_of(steel)).group
    group.user_set.remove(member.user)
    outsider = get_user_model().objects.create_user("outsider", "o@x.test", "pw")
    group.user_set.add(outsider)
    call_command("launch_portal", "steel", verbosity=0)
    assert set(group.user_set.all()) == set(
        get_user_model().objects.filter(memberships__site=site_of(steel))
    )


# -- What a reader sees -----------------------------------------------------------------------


def test_a_public_report_lists_its_documents_with_type_and_size(client, public_report):
    attachment = public_report.report_documents.get()
    html = get(client, public_report.url).content.decode()
    assert "Market report" in html and "Members only" not in html
    assert f'href="{attachment.document.url}"' in html
    assert f"({attachment.file_type}, {attachment.size})" in html
    assert "(CSV, " in html and attachment.size.endswith(("bytes", "KB"))
    download = get(client, attachment.document.url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"month,")


def test_file_sizes_read_naturally():
    assert file_size_label(840) == "840 bytes"
    assert file_size_label(12_800) == "12 KB"
    assert file_size_label(1_468_006) == "1.4 MB"


def test_the_news_list_marks_reports_and_leaves_members_only_ones_out(
    client, steel, public_report, private_report
):
    html = get(client, "/news/").content.decode()
    assert escape(public_report.title) in html and "Market report</span>" in html
    assert escape(private_report.title) not in html


def test_anonymous_visitors_get_a_teaser_of_a_members_only_report(client, private_report):
    response = get(client, private_report.url)
    html = response.content.decode()
    assert response.status_code == 403
    assert escape(private_report.title) in html and escape(private_report.summary) in html
    assert "Members only" in html and "/accounts/login/?next=" in html
    assert body_words(private_report) not in html
    assert document_url(private_report) not in html
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("who", ["other portal's member", "signed-in non-member"])
def test_non_members_signed_in_are_asked_to_join(
    client, private_report, textiles, make_member, who
):
    if who == "other portal's member":
        user = make_member(textiles, "weaver").user
    else:
        user = get_user_model().objects.create_user("visitor", "v@x.test", "pw")
    client.force_login(user)
    response = get(client, private_report.url)
    html = response.content.decode()
    assert response.status_code == 403
    assert "/members/join/" in html and body_words(private_report) not in html


def test_a_member_reads_the_report_and_downloads_its_document(
    client, steel, private_report, make_member
):
    client.force_login(make_member(steel, "reader").user)
    response = get(client, private_report.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert body_words(private_report) in html and "Members only" in html
    download = get(client, document_url(private_report))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"month,")


def test_the_portals_editor_reads_it_another_portals_does_not(
    client, private_report, steel_editor, textiles_editor
):
    client.force_login(steel_editor)
    assert get(client, private_report.url).status_code == 200
    assert get(client, document_url(private_report)).status_code == 200
    client.force_login(textiles_editor)
    assert get(client, private_report.url).status_code == 403
    assert get(client, document_url(private_report)).status_code != 200


def test_members_only_documents_are_refused_to_everyone_else(
    client, private_report, textiles, make_member
):
    url = document_url(private_report)
    anonymous = get(client, url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    client.force_login(make_member(textiles, "spinner").user)
    other = get(client, url)
    assert other.status_code in (302, 403) and not getattr(other, "streaming", False)


def test_page_privacy_protects_a_document_uploaded_to_a_public_collection(
    client, steel, site_of, private_report, make_member
):
    """An editor attached a document from the portal's open collection to a members-only
    report: the report's privacy still keeps it."""
    document = get_document_model()(
        title="Price sheet", collection=PortalSettings.for_site(site_of(steel)).collection
    )
    document.file = ContentFile(b"grade,price\nS235,640\n", name="price-sheet.csv")
    document.save()
    ReportDocument.objects.create(page=private_report, document=document, sort_order=1)
    response = get(client, document.url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(make_member(steel, "buyer").user)
    assert b"".join(get(client, document.url).streaming_content) == b"grade,price\nS235,640\n"


def test_a_missing_or_mismatched_document_is_a_404(client, public_report):
    url = document_url(public_report)
    assert get(client, "/documents/99999999/nothing.csv").status_code == 404
    assert get(client, re.sub(r"/[^/]+$", "/other.csv", url)).status_code == 404


def test_a_teaser_is_never_kept_by_the_page_cache(
    client, public_report, private_report, settings, tmp_path
):
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
    get(client, public_report.url)
    assert get(client, public_report.url)["X-Cache"] == "HIT"  # a public report is kept
    first = get(client, private_report.url)
    assert first.status_code == 403 and "private" in first["Cache-Control"]
    assert shared_seconds(first.wsgi_request, first) == 0
    second = get(client, private_report.url)
    assert second.get("X-Cache") != "HIT" and second.status_code == 403


# -- Search, feeds, sitemap, the static copy ----------------------------------------------------


def test_search_has_a_market_reports_kind_without_members_only_ones(
    client, public_report, private_report
):
    html = get(client, "/search/?type=news&kind=report").content.decode()
    assert "Market reports" in html
    assert escape(public_report.title) in html
    assert escape(private_report.title) not in html
    news = get(client, f"/search/?q={private_report.title.split(':')[-1].strip()}")
    assert private_report.title not in news.content.decode()


def test_feeds_and_sitemap_leave_members_only_reports_out(client, public_report, private_report):
    feed = get(client, "/feeds/news/rss.xml").content.decode()
    sitemap = live_sitemap(client, STEEL)
    assert escape(private_report.title) not in feed and private_report.title not in feed
    assert private_report.url.rstrip("/") not in sitemap
    assert public_report.url.rstrip("/") in sitemap


@pytest.mark.export
def test_the_static_copy_has_public_reports_documents_and_no_members_only_report(
    tmp_path, steel, public_report, private_report
):
    build_static(tmp_path)
    site = tmp_path / "steel.localhost"
    public_path = public_report.get_url_parts()[2].lstrip("/")
    private_path = private_report.get_url_parts()[2].lstrip("/")
    html = (site / public_path / "index.html").read_text()
    public_doc = document_url(public_report)
    assert public_doc in html
    assert (site / public_doc.lstrip("/")).read_bytes().startswith(b"month,")
    assert not (site / private_path).exists()
    private_doc = document_url(private_report)
    assert not (site / private_doc.lstrip("/")).exists()
    assert private_report.title not in "".join(
        p.read_text(errors="ignore") for p in Path(site).rglob("*.xml")
    )


# -- Editing ------------------------------------------------------------------------------------


def test_the_editor_edits_kind_and_documents_in_the_page_editor(
    client, steel_editor, public_report
):
    client.force_login(steel_editor)
    response = client.get(f"/admin/pages/{public_report.pk}/edit/", HTTP_HOST=ADMIN_HOST)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="kind"' in html and "Report documents" in html
    assert "report_documents-TOTAL_FORMS" in html


def test_members_group_is_offered_in_the_privacy_dialog(
    client, admin_user, steel, site_of, public_report
):
    group = MembersGroup.objects.get(site=site_of(steel)).group
    client.force_login(admin_user)
    response = client.get(f"/admin/pages/{public_report.pk}/privacy/", HTTP_HOST=ADMIN_HOST)
    assert response.status_code == 200
    html = json.loads(response.content)["html"]
    assert f'value="{group.pk}"' in html and escape(group.name) in html


def test_a_report_takes_only_its_portals_documents(steel, textiles, steel_editor, public_report):
    own = reports(steel, False)[1].report_documents.get().document
    foreign = reports(textiles, False)[0].report_documents.get().document
    form_class = type(public_report).get_edit_handler().get_form_class()
    form = form_class(
        instance=public_report, for_user=steel_editor, parent_page=public_report.get_parent()
    )
    field = form.formsets["report_documents"].forms[0].fields["document"]
    assert field.clean(own.pk) == own
    with pytest.raises(ValidationError):
        field.clean(foreign.pk)


def test_restricting_a_public_report_hides_it_and_its_document(
    client, steel, site_of, public_report
):
    url = document_url(public_report)
    restriction = PageViewRestriction.objects.create(
        page=public_report, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(MembersGroup.objects.get(site=site_of(steel)).group)
    assert get(client, public_report.url).status_code == 403
    assert get(client, url).status_code == 302
    assert escape(public_report.title) not in get(client, "/news/").content.decode()


def test_a_news_article_is_not_a_report(client, steel):
    article = NewsArticlePage.objects.live().descendant_of(steel).filter(kind="news").first()
    html = get(client, article.url).content.decode()
    assert "Market report" not in html and "<h2>Documents</h2>" not in html


def test_collections_are_per_portal(steel, textiles, site_of):
    ours = MembersGroup.objects.get(site=site_of(steel))
    theirs = MembersGroup.objects.get(site=site_of(textiles))
    assert ours.group != theirs.group and ours.collection != theirs.collection
    assert Collection.objects.filter(pk=ours.collection.pk).exists()
    assert Membership.objects.filter(site=site_of(steel)).count() == ours.group.user_set.count()
