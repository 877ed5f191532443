"""Joining a portal: a membership and the company's directory page, sent for moderation."""

from django.db import transaction
from wagtail.models import Site

from portal.board.lifecycle import start_moderation, unique_slug
from portal.directory.models import CompanyPage, DirectoryIndexPage

from .models import Membership


@transaction.atomic
def join_portal(
    user, site: Site, company_name: str, country: str, region, profile: str = ""
) -> Membership:
    """Make ``user`` a member of ``site`` for a new company, whose page awaits moderation."""
    directory = DirectoryIndexPage.objects.descendant_of(site.root_page).first()
    company = None
    if directory is not None:
        company = CompanyPage(
            title=company_name,
            slug=unique_slug(directory, company_name),
            profile=profile or f"{company_name} is a member of {site.site_name}.",
            country=country,
            region=region,
            live=False,
            owner=user,
        )
        directory.add_child(instance=company)
        start_moderation(company, user)
    membership, _ = Membership.objects.update_or_create(
        user=user, site=site, defaults={"company": company}
    )
    return membership
