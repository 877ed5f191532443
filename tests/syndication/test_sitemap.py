"""The sitemap's ``lastmod``: the day a page's content last changed, not its last publication."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page, Revision

from portal.core.models import PortalHomePage
from portal.news.models import NewsArticlePage

from ..conftest import DOMAIN, host
from ..support import live_sitemap


def lastmods(client) -> dict[str, str]:
    body = live_sitemap(client, host("steel"))
    return dict(re.findall(r"<loc>([^<]+)</loc><lastmod>([^<]+)</lastmod>", body))


@pytest.fixture
def month_ago():
    """A month before the test runs, the same for the fixture below and the test."""
    return timezone.now() - timedelta(days=30)


@pytest.fixture
def published_a_month_ago(steel: PortalHomePage, month_ago) -> PortalHomePage:
    """Every page of the portal as if last published, and revised, a month ago (a news
    article with a revision of its own, as pages edited in the admin have)."""
    NewsArticlePage.objects.live().descendant_of(steel).first().save_revision().publish()
    pages = Page.objects.descendant_of(steel, inclusive=True)
    pages.update(last_published_at=month_ago, latest_revision_created_at=month_ago)
    ids = [str(pk) for pk in pages.values_list("pk", flat=True)]
    Revision.page_revisions.filter(object_id__in=ids).update(created_at=month_ago)
    return steel


def test_publishing_again_without_a_change_keeps_lastmod(client, published_a_month_ago, month_ago):
    article = NewsArticlePage.objects.live().descendant_of(published_a_month_ago).first()
    url = article.full_url
    before = lastmods(client)
    assert before[url] == f"{month_ago:%Y-%m-%d}"
    for _ in range(2):
        NewsArticlePage.objects.get(pk=article.pk).save_revision().publish()
    assert lastmods(client) == before

    edited = NewsArticlePage.objects.get(pk=article.pk)
    edited.summary += " Updated with the mills' answers."
    edited.save_revision().publish()
    after = lastmods(client)
    assert after[url] == f"{timezone.localdate():%Y-%m-%d}"
    assert {k: v for k, v in after.items() if k != url} == {
        k: v for k, v in before.items() if k != url
    }
    # Published again unchanged after the edit: the day of the edit stays.
    NewsArticlePage.objects.get(pk=article.pk).save_revision().publish()
    assert lastmods(client)[url] == after[url]


def test_a_draft_does_not_move_lastmod(client, published_a_month_ago):
    article = NewsArticlePage.objects.live().descendant_of(published_a_month_ago).first()
    before = lastmods(client)
    draft = NewsArticlePage.objects.get(pk=article.pk)
    draft.title += " (draft)"
    draft.save_revision()
    assert lastmods(client) == before


def test_launching_the_portal_again_keeps_every_lastmod(client, published_a_month_ago, month_ago):
    before = lastmods(client)
    assert before and set(before.values()) == {f"{month_ago:%Y-%m-%d}"}
    call_command("launch_portal", "steel", domain=DOMAIN, verbosity=0)
    assert lastmods(client) == before
