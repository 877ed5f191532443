"""People and companies for the verification tests: a portal's verifiers, a company with
no record yet, checks recorded as a verifier would."""

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from wagtail.models import Site

from portal.core.models import PortalHomePage
from portal.directory.models import CheckScope, CompanyPage, VerificationCheck
from portal.verification.access import verifiers_of

from ..conftest import host

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def pdf(name: str = "extract.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def site_for(home: PortalHomePage) -> Site:
    return Site.objects.get(root_page=home)


def unrecorded(home: PortalHomePage, skip: int = 0) -> CompanyPage:
    """A live company of the portal with no check and no request."""
    return (
        CompanyPage.objects.live()
        .descendant_of(home)
        .filter(verification_checks__isnull=True, verification_requests__isnull=True)
        .order_by("pk")[skip]
    )


def record(
    company: CompanyPage,
    scope: str = CheckScope.REGISTRATION,
    on: date | None = None,
    until: date | None = None,
    **fields,
) -> VerificationCheck:
    on = on or date.today() - timedelta(days=30)
    values = {"registry": "Companies House", "registration_number": "0123456"}
    values = values if scope == CheckScope.REGISTRATION else {}
    check = VerificationCheck(
        company=company,
        scope=scope,
        checked_by="Steel Association secretariat",
        checked_on=on,
        expires_on=until or on + timedelta(days=365),
        **{**values, **fields},
    )
    check.full_clean()
    check.save()
    company.refresh_from_db()
    return check


def staff_client(user) -> Client:
    client = Client(HTTP_HOST="localhost:8000")
    client.force_login(user)
    return client


def portal_client(user, home: PortalHomePage) -> Client:
    client = Client(HTTP_HOST=host(home.industry_slug))
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def make_verifier(db):
    def make(home: PortalHomePage, name: str):
        user = get_user_model().objects.create_user(name, f"{name}@verify.test", "verify-123")
        user.groups.add(verifiers_of(site_for(home)).group)
        return user

    return make


@pytest.fixture
def make_staff(db):
    def make(home: PortalHomePage, role: str, name: str):
        from portal.core.models import PortalSettings

        settings = PortalSettings.objects.get(site=site_for(home))
        user = get_user_model().objects.create_user(name, f"{name}@staff.test", "staff-123")
        user.groups.add(getattr(settings, f"{role}s_group"))
        return user

    return make
