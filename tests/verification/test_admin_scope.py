"""The verification admin is per portal: a portal's verifiers record checks, revoke them and
decide requests of their own portal only; another portal's verifiers get 404 for every URL
of them, editors and moderators no access at all; nothing is ever deleted. The launcher makes
each portal's verifiers group and evidence collection, once."""

from datetime import timedelta

import pytest
from django.urls import reverse
from wagtail.models import Collection, CollectionViewRestriction

from industries.launch.access import grant_verifiers_access
from industries.launch.report import LaunchReport
from portal.core.models import PortalSettings
from portal.directory.models import RequestStatus, VerificationCheck, VerificationRequest
from portal.verification.access import verifiers_of
from portal.verification.evidence import store

from ..conftest import today
from .conftest import pdf, record, site_for, staff_client, unrecorded

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(steel, textiles):
    """A check and a request with evidence in each portal."""
    made = {}
    for home in (steel, textiles):
        company = unrecorded(home)
        check = record(company)
        asked = VerificationRequest.objects.create(
            site=site_for(home), company=company, registry="Registry", registration_number="9"
        )
        collection = verifiers_of(site_for(home)).collection
        asked.evidence.add(store(pdf(), collection, None, f"{company.title}: extract"))
        made[home.industry_slug] = (check, asked)
    return made


def object_urls(check, asked) -> list[str]:
    document = asked.evidence.get()
    urls = [
        reverse(f"verificationchecks:{name}", args=[check.pk])
        for name in ("edit", "inspect", "history", "usage", "delete")
    ]
    urls += [
        reverse(f"verificationrequests:{name}", args=[asked.pk])
        for name in ("edit", "inspect", "history", "usage", "delete")
    ]
    urls.append(reverse("verificationrequests:evidence", args=[asked.pk, document.pk]))
    return urls


def test_another_portals_verifier_reaches_nothing(records, steel, make_verifier):
    client = staff_client(make_verifier(steel, "steel-verifier"))
    check, asked = records["textiles"]
    for url in object_urls(check, asked):
        assert client.get(url).status_code in (403, 404), url
        assert client.post(url, {"status": "verified"}).status_code in (403, 404), url
    asked.refresh_from_db()
    assert asked.status == RequestStatus.REQUESTED
    for name in ("verificationchecks:index", "verificationrequests:index"):
        text = client.get(reverse(name)).content.decode()
        assert check.company.title not in text


def test_a_verifier_works_on_their_own_portal(records, steel, make_verifier):
    client = staff_client(make_verifier(steel, "steel-verifier"))
    check, asked = records["steel"]
    for name in ("verificationchecks:index", "verificationrequests:index"):
        assert check.company.title in client.get(reverse(name)).content.decode()
    inspect = client.get(reverse("verificationrequests:inspect", args=[asked.pk]))
    assert inspect.status_code == 200
    document = asked.evidence.get()
    evidence = reverse("verificationrequests:evidence", args=[asked.pk, document.pk])
    assert evidence in inspect.content.decode()
    assert client.get(evidence).status_code == 200
    other = records["textiles"][1].evidence.get()
    assert (
        client.get(reverse("verificationrequests:evidence", args=[asked.pk, other.pk])).status_code
        == 404
    )


@pytest.mark.parametrize("role", ["editor", "moderator"])
def test_editors_and_moderators_have_no_verification_admin(records, steel, make_staff, role):
    client = staff_client(make_staff(steel, role, f"steel-{role}"))
    check, asked = records["steel"]
    for url in [reverse("verificationchecks:index"), *object_urls(check, asked)]:
        response = client.get(url)
        assert response.status_code in (302, 403, 404), url
        assert check.company.title not in response.content.decode()


def test_recording_a_check_offers_only_the_portals_companies(steel, textiles, make_verifier):
    user = make_verifier(steel, "steel-verifier")
    client = staff_client(user)
    url = reverse("verificationchecks:add")
    form = client.get(url).content.decode()
    own, foreign = unrecorded(steel), unrecorded(textiles)
    assert f'value="{own.pk}"' in form and f'value="{foreign.pk}"' not in form
    data = {
        "scope": "site_visit",
        "checked_by": "Steel Association",
        "checked_on": (today() - timedelta(days=1)).isoformat(),
        "expires_on": (today() + timedelta(days=364)).isoformat(),
        "inspector": "",
    }
    refused = client.post(url, {**data, "company": foreign.pk, "inspector": "A. Rao"})
    assert refused.status_code == 200 and not VerificationCheck.objects.filter(company=foreign)
    missing = client.post(url, {**data, "company": own.pk})
    assert missing.status_code == 200 and "Name the inspector" in missing.content.decode()
    assert client.post(url, {**data, "company": own.pk, "inspector": "A. Rao"}).status_code == 302
    check = VerificationCheck.objects.get(company=own)
    assert check.recorded_by == user and check.site == site_for(steel)


def test_a_check_is_revoked_with_a_reason_and_never_deleted(
    records, steel, make_verifier, admin_user
):
    user = make_verifier(steel, "steel-verifier")
    client = staff_client(user)
    check, _ = records["steel"]
    edit = reverse("verificationchecks:edit", args=[check.pk])
    no_reason = client.post(edit, {"revoked_on": today().isoformat(), "revoked_reason": ""})
    assert no_reason.status_code == 200
    client.post(edit, {"revoked_on": today().isoformat(), "revoked_reason": "Forged extract."})
    check.refresh_from_db()
    assert check.revoked_by == user and check.revoked_reason == "Forged extract."
    assert not check.company.specific.is_verified()
    again = client.post(edit, {"revoked_on": today().isoformat(), "revoked_reason": "x"})
    assert again.status_code == 200 and "revoked already" in again.content.decode()
    history = client.get(reverse("verificationchecks:inspect", args=[check.pk]))
    assert "Forged extract." in history.content.decode()
    for who in (client, staff_client(admin_user)):  # refused: back to the dashboard
        refused = who.post(reverse("verificationchecks:delete", args=[check.pk]))
        assert refused.status_code in (302, 403) and refused.get("Location", "/admin/") == "/admin/"
    assert VerificationCheck.objects.filter(pk=check.pk).exists()


def test_a_rejection_needs_a_reason(records, steel, make_verifier):
    client = staff_client(make_verifier(steel, "steel-verifier"))
    _, asked = records["steel"]
    edit = reverse("verificationrequests:edit", args=[asked.pk])
    assert client.post(edit, {"status": "rejected", "reason": ""}).status_code == 200
    client.post(edit, {"status": "rejected", "reason": "Registry number unknown."})
    asked.refresh_from_db()
    assert asked.status == RequestStatus.REJECTED


def test_bad_ids_are_404(steel, make_verifier):
    client = staff_client(make_verifier(steel, "steel-verifier"))
    for name in ("verificationchecks:edit", "verificationrequests:inspect"):
        assert client.get(reverse(name, args=[999999])).status_code == 404
    assert client.get(reverse("verificationrequests:evidence", args=[999999, 1])).status_code == 404


def test_launch_makes_one_verifiers_group_per_portal_again_and_again(steel, textiles):
    steel_verifiers = verifiers_of(site_for(steel))
    textiles_verifiers = verifiers_of(site_for(textiles))
    assert steel_verifiers.group != textiles_verifiers.group
    assert steel_verifiers.collection.get_parent() == Collection.get_first_root_node()
    restriction = CollectionViewRestriction.objects.get(collection=steel_verifiers.collection)
    assert list(restriction.groups.all()) == [steel_verifiers.group]
    settings = PortalSettings.objects.get(site=site_for(steel))
    report = LaunchReport(site=settings.site, home=steel, created=False)
    name = steel_verifiers.group.name.removesuffix(" verifiers")
    again = grant_verifiers_access(name, settings, report)
    assert again.pk == steel_verifiers.pk
    assert again.collection_id == steel_verifiers.collection_id
    assert report.changes == []
