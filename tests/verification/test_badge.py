"""What buyers see: the badge lists each check, who made it, when and until when; it lapses
by itself on its date, goes when revoked (the history stays), and survives editors'
revisions. Demo portals show every kind of record."""

import importlib
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.utils.html import escape

from portal.directory import dates
from portal.directory.badges import verified_today
from portal.directory.models import CheckScope, CompanyPage, VerificationCheck
from portal.export.stamps import public_pages

from ..conftest import today
from .conftest import portal_client, record, unrecorded

pytestmark = pytest.mark.django_db


def page_text(home, page) -> str:
    response = portal_client(None, home).get(urlsplit(page.url).path)
    assert response.status_code == 200
    return response.content.decode()


def directory_of(home):
    return home.get_children().type(apps.get_model("directory", "DirectoryIndexPage")).first()


def test_demo_portals_show_verified_expired_revoked_and_unverified_suppliers(steel):
    companies = CompanyPage.objects.live().descendant_of(steel)
    checks = VerificationCheck.objects.filter(company__in=companies)
    verified = [c for c in companies if c.is_verified()]
    visited = checks.filter(scope=CheckScope.SITE_VISIT).exclude(inspector="").first()
    assert visited is not None and visited.company.is_verified()
    assert checks.filter(company=visited.company).count() == 4
    assert any(c.verified_on and not c.is_verified() for c in companies)  # lapsed
    assert checks.filter(revoked_on__isnull=False).exclude(revoked_reason="").exists()
    assert any(not c.verified_on and not c.verification_checks.exists() for c in companies)
    assert verified and len(verified) < companies.count()
    text = page_text(steel, visited.company)
    assert "Site visit" in text and escape(visited.inspector) in text
    assert "Company registration" in text and "valid until" in text


def test_the_badge_lists_each_check_who_when_and_until_when(steel):
    company = unrecorded(steel)
    record(company, until=today() + timedelta(days=200))
    record(company, CheckScope.SITE_VISIT, inspector="Ines Duarte")
    text = page_text(steel, company)
    assert "Verified supplier" in text
    assert "against Companies House (no. 0123456)" in text
    assert "inspector Ines Duarte" in text
    assert text.count("Steel Association secretariat") == 2
    until = today() + timedelta(days=200)
    assert f'datetime="{until.isoformat()}"' in text


def test_the_card_keeps_a_short_badge_with_a_tooltip(steel):
    company = unrecorded(steel)
    record(company)
    directory = directory_of(steel)
    text = portal_client(None, steel).get(urlsplit(directory.url).path + "verified/")
    text = text.content.decode()
    card = text[text.index(escape(company.title)) :][:600]
    assert ">Verified</span>" in card
    assert 'title="Company registration checked by Steel Association secretariat' in card


def test_a_badge_lapses_by_itself_on_its_date(steel, monkeypatch):
    company = unrecorded(steel)
    record(company, until=today())
    before = dict((pk, stamp) for pk, _, _, stamp in public_pages(steel))
    assert company.is_verified()
    assert "Verified supplier" in page_text(steel, company)

    monkeypatch.setattr(dates, "today", lambda: today() + timedelta(days=1))
    company.refresh_from_db()
    assert not company.is_verified()
    text = page_text(steel, company)
    assert "Verified supplier" not in text and "Verification lapsed" in text
    after = dict((pk, stamp) for pk, _, _, stamp in public_pages(steel))
    assert before[company.pk] != after[company.pk]  # built again and purged
    listed = portal_client(None, steel).get(urlsplit(directory_of(steel).url).path + "verified/")
    assert escape(company.title) not in listed.content.decode()


def test_a_revoked_badge_goes_and_its_history_stays(steel):
    company = unrecorded(steel)
    check = record(company)
    state = verified_today(steel)[company.pk]
    check.revoke("The registry lists the company as dissolved.")
    company.refresh_from_db()
    assert not company.is_verified()
    assert verified_today(steel).get(company.pk) != state
    kept = VerificationCheck.objects.get(pk=check.pk)
    assert kept.revoked_on == today() and kept.status == "revoked"
    assert "dissolved" in kept.revoked_reason
    assert "Verified supplier" not in page_text(steel, company)


def test_the_longest_registration_check_decides(steel):
    company = unrecorded(steel)
    record(company, until=today() + timedelta(days=10))
    longer = record(company, until=today() + timedelta(days=300))
    record(company, CheckScope.ADDRESS, until=today() + timedelta(days=900))
    assert company.verification_expires == longer.expires_on
    longer.revoke("Wrong registry number.")
    company.refresh_from_db()
    assert company.verification_expires == today() + timedelta(days=10)
    assert company.is_verified()


def test_publishing_an_older_revision_keeps_the_checks_summary(steel):
    company = unrecorded(steel)
    revision = company.save_revision()
    record(company)
    revision.publish()
    company.refresh_from_db()
    assert company.is_verified()


def test_a_check_is_validated_as_a_verifier_records_it(steel):
    from django.core.exceptions import ValidationError

    company = unrecorded(steel)
    for bad in (
        {"scope": CheckScope.REGISTRATION, "registry": ""},
        {"scope": CheckScope.SITE_VISIT, "inspector": ""},
        {"scope": CheckScope.ADDRESS, "expires_on": today() - timedelta(days=400)},
        {"scope": CheckScope.ADDRESS, "checked_on": today() + timedelta(days=1)},
    ):
        check = VerificationCheck(
            company=company,
            checked_by="x",
            checked_on=bad.pop("checked_on", today() - timedelta(days=1)),
            expires_on=bad.pop("expires_on", today() + timedelta(days=1)),
            registration_number="1",
            **bad,
        )
        with pytest.raises(ValidationError):
            check.full_clean()


def test_old_verifications_become_registration_checks(steel):
    migration = importlib.import_module("portal.directory.migrations.0003_checks_from_old_badges")
    company = unrecorded(steel)
    CompanyPage.objects.filter(pk=company.pk).update(
        verified_by="Old Verifier",
        verified_on=today() - timedelta(days=10),
        verification_expires=None,
        verification_scope="site visit",
    )
    migration.to_checks(apps, None)
    check = VerificationCheck.objects.get(company=company)
    assert check.scope == CheckScope.REGISTRATION and check.checked_by == "Old Verifier"
    assert check.expires_on == today() - timedelta(days=10) + migration.DEFAULT_VALIDITY
    assert "site visit" in check.note
    company.refresh_from_db()
    assert company.is_verified()
    migration.to_checks(apps, None)  # again: nothing twice
    assert VerificationCheck.objects.filter(company=company).count() == 1
