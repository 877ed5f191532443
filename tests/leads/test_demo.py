"""``demo_leads``: every portal gets enquiries with varied outcomes, the same on every run."""

import pytest
from django.core.management import CommandError, call_command

from portal.core.models import PortalHomePage
from portal.directory.models import CompanyPage
from portal.leads.models import Enquiry
from portal.leads.responses import company_figures

pytestmark = pytest.mark.django_db


def snapshot() -> list[tuple]:
    return list(
        Enquiry.objects.order_by("page", "email").values_list(
            "page", "email", "company", "status", "amount", "timeline", "territory"
        )
    )


def test_demo_leads_fills_every_portal_idempotently():
    call_command("demo_leads", verbosity=0)
    first = snapshot()
    call_command("demo_leads", verbosity=0)
    assert snapshot() == first
    for home in PortalHomePage.objects.all():
        assert Enquiry.objects.filter(site__root_page=home).exists(), home
    shown = {figures.rate_shown for figures in company_figures().values() if figures.enough}
    assert len(shown) >= 3  # varied response rates across companies


def test_demo_companies_show_figures_or_not_enough(client, steel):
    call_command("demo_leads", verbosity=0)
    found = company_figures()
    shown = [c for c in CompanyPage.objects.live().descendant_of(steel) if c.pk in found]
    assert shown
    html = client.get(shown[0].url, HTTP_HOST="steel.localhost:8000").content.decode()
    assert "Responds to inquiries" in html


def test_unknown_options_fail_with_one_line():
    with pytest.raises(CommandError):
        call_command("demo_leads", "--nonsense")
