"""A member asks for verification with evidence and follows the request; evidence is never
public: not for anonymous visitors, other members, another portal, nor Wagtail's document
URLs; nor in the static copy."""

import pytest
from django.test import override_settings
from django.urls import reverse

from portal.directory.models import RequestStatus, VerificationRequest

from .conftest import pdf, portal_client, unrecorded

pytestmark = pytest.mark.django_db


@pytest.fixture
def asking(steel, make_member):
    return make_member(steel, "asker", company=unrecorded(steel))


def ask(client, **data):
    values = {"registry": "Companies House", "registration_number": "0123456", "message": ""}
    return client.post(reverse("members:verification"), {**values, **data})


def test_a_member_asks_with_evidence_and_sees_the_status(steel, asking):
    client = portal_client(asking.user, steel)
    dashboard = client.get(reverse("members:dashboard")).content.decode()
    assert reverse("members:verification") in dashboard
    response = ask(client, files=[pdf("extract.pdf"), pdf("lease.pdf")])
    assert response.status_code == 302
    asked = VerificationRequest.objects.get(company=asking.company)
    assert asked.status == RequestStatus.REQUESTED and asked.evidence.count() == 2
    page = client.get(reverse("members:verification")).content.decode()
    assert "Requested" in page and "Ask for verification" not in page
    document = asked.evidence.first()
    assert "evidence-" in document.file.name and "extract" not in document.file.name
    own = client.get(reverse("members:verification_evidence", args=[document.pk]))
    assert own.status_code == 200 and own["Cache-Control"] == "private, no-store"
    asked.status, asked.reason = RequestStatus.REJECTED, "The extract is older than 3 months."
    asked.save()
    page = client.get(reverse("members:verification")).content.decode()
    assert "Rejected" in page and "older than 3 months" in page


@pytest.mark.parametrize(
    "files, message",
    [
        ([], "Attach at least one document"),
        ([pdf("tool.exe")], "send a PDF, PNG or JPEG"),
        ([pdf("fake.pdf", b"MZ\x90\x00 not a pdf")], "is not a PDF file"),
        ([pdf(f"{n}.pdf") for n in range(6)], "At most 5 files"),
    ],
)
def test_bad_evidence_is_refused_with_a_message(steel, asking, files, message):
    client = portal_client(asking.user, steel)
    response = ask(client, files=files)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not VerificationRequest.objects.filter(company=asking.company).exists()


@override_settings(VERIFICATION_EVIDENCE_MAX_BYTES=100)
def test_evidence_has_a_size_limit(steel, asking):
    response = ask(portal_client(asking.user, steel), files=[pdf(content=b"%PDF-" + b"0" * 200)])
    assert response.status_code == 400 and "at most" in response.content.decode()


def test_a_missing_field_re_renders_the_form(steel, asking):
    response = ask(portal_client(asking.user, steel), registration_number="", files=[pdf()])
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()


def test_evidence_is_never_served_to_anyone_else(steel, textiles, asking, make_member):
    ask(portal_client(asking.user, steel), files=[pdf()])
    document = VerificationRequest.objects.get(company=asking.company).evidence.get()
    url = reverse("members:verification_evidence", args=[document.pk])
    neighbour = make_member(steel, "neighbour")
    abroad = make_member(textiles, "abroad")
    assert portal_client(None, steel).get(url).status_code == 302  # to sign in
    assert portal_client(neighbour.user, steel).get(url).status_code == 404
    assert portal_client(abroad.user, textiles).get(url).status_code == 404
    wagtail_url = document.url
    for user, home in ((None, steel), (asking.user, steel), (abroad.user, textiles)):
        assert portal_client(user, home).get(wagtail_url).status_code == 404
    assert portal_client(asking.user, steel).get(url + "x/").status_code == 404


def test_one_open_request_at_a_time(steel, asking):
    client = portal_client(asking.user, steel)
    ask(client, files=[pdf()])
    again = ask(client, files=[pdf()])
    assert again.status_code == 302
    assert VerificationRequest.objects.filter(company=asking.company).count() == 1


@pytest.mark.slow
def test_evidence_is_not_in_the_static_copy(static_steel):
    assert not list(static_steel.rglob("evidence-*"))
    assert not any(
        "verification evidence" in p.read_text(errors="ignore")
        for p in static_steel.rglob("*.html")
    )
