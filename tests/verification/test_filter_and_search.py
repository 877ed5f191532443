"""Buyers find verified suppliers: the directory's "verified" filter, and the search facet in
the database engine, the Elasticsearch/OpenSearch documents and the static copy's Pagefind
filters; documents follow checks as they are recorded, revoked or lapse."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.utils.html import escape

from portal.directory import dates
from portal.directory.models import CompanyPage
from portal.export.pagefind import Facets, filters
from search.engines.mappings import to_source
from search.labels import kind_choices
from search.models import SearchDocument
from search.sync import reindex

from ..conftest import today
from .conftest import portal_client, record, unrecorded

pytestmark = pytest.mark.django_db


def directory_url(home) -> str:
    model = apps.get_model("directory", "DirectoryIndexPage")
    return urlsplit(home.get_children().type(model).first().url).path


def test_the_verified_filter_lists_only_verified_companies(steel):
    client = portal_client(None, steel)
    base = directory_url(steel)
    index = client.get(base).content.decode()
    assert f'href="{base}verified/"' in index and "Verified suppliers" in index
    text = client.get(base + "verified/").content.decode()
    companies = CompanyPage.objects.live().descendant_of(steel)
    verified = [c for c in companies if c.is_verified()]
    others = [c for c in companies if not c.is_verified()]
    assert verified and others
    assert all(escape(c.title) in text for c in verified)
    assert not any(f">{escape(c.title)}</a>" in text for c in others)
    assert 'aria-current="true">Verified suppliers' in text
    assert client.get(base + "verified/page/99/").status_code == 404


def test_the_filter_has_a_feed_and_a_place_in_the_static_targets(steel, site_of):
    from portal.export.targets import portal_targets

    base = directory_url(steel)
    paths = {target.path for target in portal_targets(site_of(steel))}
    assert base.replace(f"//{steel.get_site().hostname}", "").endswith("/")
    assert any(
        path.endswith("/verified/index.html") or path.endswith("/verified/") for path in paths
    )
    feed = portal_client(None, steel).get("/feeds/directory/verified/atom.xml")
    assert feed.status_code == 200


def test_companies_documents_carry_the_verified_facet_everywhere(steel):
    company = unrecorded(steel)
    record(company)
    reindex([company.pk])
    document = SearchDocument.objects.get(page_id=company.pk)
    assert document.kind == "verified"
    assert ("verified", "Verified suppliers") in kind_choices()
    assert to_source(document)["kind"] == "verified"  # Elasticsearch / OpenSearch
    labels = dict(kind_choices())
    shown = filters(Facets.of(document), {"company": "Companies"}, labels)
    assert shown["Kind"] == ["Verified suppliers"]
    found = portal_client(None, steel).get("/search/", {"kind": "verified", "type": "company"})
    text = found.content.decode()
    assert escape(company.title) in text
    unverified = [c for c in CompanyPage.objects.live().descendant_of(steel) if not c.is_verified()]
    assert not any(f">{escape(c.title)}</a>" in text for c in unverified)


def test_documents_follow_checks_recorded_revoked_and_lapsed(
    steel, monkeypatch, django_capture_on_commit_callbacks
):
    company = unrecorded(steel)
    reindex([company.pk])
    with django_capture_on_commit_callbacks(execute=True):
        check = record(company, until=today())
    assert SearchDocument.objects.get(page_id=company.pk).kind == "verified"
    monkeypatch.setattr(dates, "today", lambda: today() + timedelta(days=1))
    from portal.core import changes

    with django_capture_on_commit_callbacks(execute=True):
        changes.note_every_portal()  # the hourly jobs: what lapses by date
    assert SearchDocument.objects.get(page_id=company.pk).kind == ""
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        check.revoke("Registration withdrawn.")
    assert SearchDocument.objects.get(page_id=company.pk).kind == ""
