"""Shared fixtures: three demo portals launched once per test session."""

import shutil
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Site

from portal.core.models import Category, PortalHomePage

DEMO_SCALE = 45
DOMAIN = "localhost:8000"
PORTALS = ("steel", "textiles", "agrifood")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command(
            "launch_portal", *PORTALS, demo=DEMO_SCALE, domain=DOMAIN, as_of=None, verbosity=0
        )


@pytest.fixture(scope="session")
def static_steel(django_db_setup, django_db_blocker, tmp_path_factory) -> Path:
    """One static copy of the steel portal as launched, for the tests that only read it
    (a test that changes content or builds again makes its own)."""
    from django.core.cache import caches

    from .support import build_static

    # Session fixtures are made before the tests' own: forget what the process kept of an
    # earlier test's rows (rolled back since), as every test starts doing.
    caches["shared"].clear()
    out = tmp_path_factory.mktemp("static-steel")
    with django_db_blocker.unblock():
        build_static(out)
    return out


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory) -> Path:
    """An SQLite database migrated once per run, which the installs tests run of their own
    (a server, a build in its own process) copy instead of migrating each."""
    from .support import migrate_sqlite

    path = tmp_path_factory.mktemp("migrated") / "db.sqlite3"
    migrate_sqlite(path)
    return path


def host(slug: str) -> str:
    return f"{slug}.{DOMAIN}"


def today() -> date:
    """Today as the portal's code sees it, asked when a test runs: a date kept from import
    would be yesterday's for a test that runs after midnight."""
    return timezone.localdate()


def leaf_category(site: Site) -> Category:
    """An active category of ``site`` without subcategories: what members post under."""
    return (
        Category.objects.for_site(site)
        .active()
        .filter(children__isnull=True, parent__isnull=False)
        .first()
    )


@pytest.fixture
def steel(db) -> PortalHomePage:
    return PortalHomePage.objects.get(industry_slug="steel")


@pytest.fixture
def textiles(db) -> PortalHomePage:
    return PortalHomePage.objects.get(industry_slug="textiles")


@pytest.fixture
def site_of():
    def lookup(home: PortalHomePage) -> Site:
        return Site.objects.get(root_page=home)

    return lookup


@pytest.fixture
def industries_dir(tmp_path: Path, settings) -> Path:
    """A writable copy of the industry files, used as INDUSTRIES_DIR."""
    target = tmp_path / "industries"
    target.mkdir()
    for path in Path(__file__).resolve().parent.parent.joinpath("industries").glob("*.yaml"):
        shutil.copy(path, target / path.name)
    settings.INDUSTRIES_DIR = target
    return target


def pytest_report_header(config):
    db = settings.DATABASES["default"]
    return f"database: {db['ENGINE'].rsplit('.', 1)[-1]} {db.get('HOST') or db['NAME']}"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters live in the cache; every test starts with none, and with nothing
    kept of what pages share (tests change rows behind the signals' back) nor of the image
    renditions another test's rows (rolled back since) made."""
    from django.core.cache import cache, caches

    from themes.environment import _renditions

    cache.clear()
    caches["shared"].clear()
    caches["renditions"].clear()
    _renditions.clear()


@pytest.fixture
def make_member(db, site_of):
    """A verified member of a portal, posting for one of its live demo companies."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    from portal.directory.models import CompanyPage
    from portal.members.models import Membership

    def make(home: PortalHomePage, name: str, company=None) -> Membership:
        email = f"{name}@{home.industry_slug}.test"
        user = get_user_model().objects.create_user(name, email, "member-pass-123")
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        if company is None:
            taken = Membership.objects.values_list("company_id", flat=True)
            company = CompanyPage.objects.live().descendant_of(home).exclude(pk__in=taken).first()
        return Membership.objects.create(user=user, site=site_of(home), company=company)

    return make


def human(form: str, **data) -> dict:
    """Data for the public form ``form`` (its ``token_form``) that passes the honeypot and the
    minimum fill time, with a start token of its own."""
    import secrets
    import time

    from django.core import signing

    from portal.defences.forms import SIGNER_SALT

    token = [time.time() - 60, form, secrets.token_urlsafe(12)]
    return {"website": "", "started": signing.dumps(token, salt=SIGNER_SALT), **data}
