"""Create or update a whole portal from an :class:`Industry`, idempotently, step by step.

Running it twice changes nothing the second time: every step looks up what it made before
(by the industry slug, or through the portal's settings) and only writes what differs.
Everything happens in one transaction, so a failure leaves the database as it was.
"""

from collections.abc import Callable

from django.db import transaction
from wagtail.models import Site

from ..schema import Industry
from .access import grant_access
from .look import add_default_logo, apply_settings, initials
from .plans import sync_plans
from .report import LaunchReport, update_page
from .sections import sync_sections
from .site import configure_site, ensure_home_page, home_values, parse_hostname
from .taxonomy import sync_taxonomy
from .workflow import ensure_workflow

Progress = Callable[[str], None]

__all__ = ["LaunchReport", "initials", "launch", "parse_hostname"]


def launch(
    industry: Industry, hostname: str | None = None, progress: Progress | None = None
) -> LaunchReport:
    say = progress or (lambda _message: None)
    host, port = parse_hostname(hostname or industry.hostname)
    with transaction.atomic():
        say("site and home page")
        home, created = ensure_home_page(industry)
        site = Site.objects.filter(root_page=home).first() or Site(root_page=home)
        report = LaunchReport(site=site, home=home, created=created)
        if not created:
            update_page(home, home_values(industry), report)
        configure_site(industry, site, host, port, report)
        if created:
            report.note(f"created portal {industry.name} at {site.root_url}/")
        say("taxonomy")
        sync_taxonomy(industry, site, report)
        say("sections")
        sections = sync_sections(industry, home, report)
        say("groups, permissions and media collection")
        settings = apply_settings(industry, site, report)
        grant_access(industry, sections, settings, report)
        add_default_logo(industry, settings, report)
        say("moderation workflow")
        ensure_workflow(industry, home, settings, report)
        say("membership plans")
        sync_plans(industry, settings, report)
    return report
