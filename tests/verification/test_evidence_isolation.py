"""Evidence files are never public and never another portal's business: Wagtail's document
URLs and its documents admin refuse them to everyone (they are read only through the
verification views), no group holds a Wagtail permission on an evidence collection, and no
public search or sitemap names them."""

import pytest
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.models import GroupCollectionPermission

from portal.directory.models import VerificationRequest
from portal.verification.access import verifiers_of
from portal.verification.evidence import evidence_collection_ids

from ..conftest import host
from ..support import live_sitemap
from .conftest import PDF, pdf, portal_client, site_for, staff_client, unrecorded

pytestmark = pytest.mark.django_db
MARKER = "EvidenceMarker"


@pytest.fixture
def evidence(steel, make_member):
    """A steel member's evidence file, sent through the member's page."""
    asking = make_member(steel, "evidence-asker", company=unrecorded(steel))
    client = portal_client(asking.user, steel)
    sent = client.post(
        reverse("members:verification"),
        {
            "registry": "Companies House",
            "registration_number": "0123456",
            "message": "",
            "files": [pdf(f"{MARKER}.pdf")],
        },
    )
    assert sent.status_code == 302
    return VerificationRequest.objects.get(company=asking.company).evidence.get()


@pytest.fixture
def people(steel, textiles, make_staff, make_verifier):
    """Every kind of staff of both portals, by name."""
    made = {}
    for home in (steel, textiles):
        slug = home.industry_slug
        for role in ("editor", "moderator"):
            made[f"{slug} {role}"] = make_staff(home, role, f"evidence-{slug}-{role}")
        made[f"{slug} verifier"] = make_verifier(home, f"evidence-{slug}-verifier")
    return made


def body(response) -> bytes:
    return b"".join(response) if response.streaming else response.content


def test_wagtails_document_url_refuses_evidence_to_every_portals_staff(
    evidence, people, steel, textiles
):
    url = evidence.url
    assert url.startswith("/documents/")
    hosts = ("localhost:8000", host(steel.industry_slug), host(textiles.industry_slug))
    for who, user in people.items():
        for name in hosts:
            client = staff_client(user)
            answer = client.get(url, HTTP_HOST=name)
            assert answer.status_code == 404, (who, name)
            assert PDF not in body(answer)


def admin_urls(document) -> list[str]:
    pk = document.pk
    return [
        reverse("wagtaildocs:edit", args=[pk]),
        reverse("wagtaildocs:delete", args=[pk]),
        reverse("wagtaildocs:edit_multiple", args=[pk]),
        reverse("wagtaildocs:delete_multiple", args=[pk]),
        reverse("wagtaildocs:document_usage", args=[pk]),
        reverse("wagtaildocs_chooser:chosen", args=[pk]),
        reverse("wagtailadmin_api:documents:detail", args=[pk]),
        f"/admin/bulk/wagtaildocs/document/delete/?id={pk}",
    ]


def test_wagtails_documents_admin_neither_shows_nor_changes_evidence(evidence, people, admin_user):
    """Not even the portal's own verifiers: they read evidence through the request's page
    only, and nobody changes it."""
    before = (evidence.title, evidence.file.name, evidence.collection_id)
    for who, user in people.items():
        client = staff_client(user)
        for url in admin_urls(evidence):
            shown = client.get(url)
            assert shown.status_code in (302, 403, 404, 405), (who, url, shown.status_code)
            assert MARKER.encode() not in body(shown), (who, url)
            changed = client.post(url, {"title": "Changed", "collection": evidence.collection_id})
            assert changed.status_code in (302, 403, 404, 405), (who, url)
        for query in ({}, {"q": MARKER}):
            listing = client.get(reverse("wagtaildocs:index"), query).content.decode()
            assert reverse("wagtaildocs:edit", args=[evidence.pk]) not in listing, who
            chooser = client.get(reverse("wagtaildocs_chooser:choose"), query).content.decode()
            assert reverse("wagtaildocs_chooser:chosen", args=[evidence.pk]) not in chooser, who
            api = client.get(reverse("wagtailadmin_api:documents:listing"), {"limit": 1000})
            ids = (
                [item["id"] for item in api.json().get("items", [])]
                if api.status_code == 200
                else []
            )
            assert evidence.pk not in ids, who
    superuser = staff_client(admin_user)  # the control: the URLs above do name the file
    listing = superuser.get(reverse("wagtaildocs:index"), {"q": MARKER}).content.decode()
    assert reverse("wagtaildocs:edit", args=[evidence.pk]) in listing
    assert superuser.get(reverse("wagtaildocs:edit", args=[evidence.pk])).status_code == 200
    evidence.refresh_from_db()
    assert (evidence.title, evidence.file.name, evidence.collection_id) == before
    assert get_document_model().objects.filter(pk=evidence.pk).exists()


def test_no_group_holds_a_wagtail_permission_on_an_evidence_collection(steel, textiles):
    collections = evidence_collection_ids()
    assert {verifiers_of(site_for(home)).collection_id for home in (steel, textiles)} <= (
        collections
    )
    granted = GroupCollectionPermission.objects.filter(collection_id__in=collections)
    assert list(granted.values_list("group__name", "permission__codename")) == []


def test_another_portals_verifier_cannot_read_it_as_a_member_either(evidence, people, steel):
    url = reverse("members:verification_evidence", args=[evidence.pk])
    for name in ("textiles verifier", "textiles editor", "steel verifier"):
        answer = portal_client(people[name], steel).get(url)  # not a member: asked to join
        assert answer.status_code in (200, 302, 403, 404), name
        assert answer["Content-Type"].startswith("text/html"), name
        assert PDF not in body(answer)


def test_public_search_and_sitemap_never_name_evidence(evidence, steel):
    visitor = portal_client(None, steel)
    found = visitor.get(reverse("search:search"), {"q": evidence.title})
    assert found.status_code == 200
    assert evidence.url not in found.content.decode()
    assert evidence.file.name.rsplit("/", 1)[-1] not in found.content.decode()
    text = live_sitemap(visitor, host("steel"))
    assert evidence.url not in text and "/documents/" not in text
