"""Joining a portal: a membership, and the company's directory page sent for moderation.

At sign-up the company is only noted; its page is made once the email address is confirmed,
so unconfirmed (possibly fake) sign-ups never reach the moderators.
"""

from allauth.account.models import EmailAddress
from django.db import transaction
from wagtail.models import Site

from portal.core.models import Region
from portal.core.moderation import start_moderation, unique_slug
from portal.directory.models import CompanyPage, DirectoryIndexPage

from .models import Membership


def has_verified_email(user) -> bool:
    return EmailAddress.objects.filter(user=user, verified=True).exists()


@transaction.atomic
def join_portal(user, site: Site, company: dict, notify_matches: bool = False) -> Membership:
    """Make ``user`` a member of ``site``; the company page follows now or on confirmation.

    ``company``: ``name``, ``country``, ``region`` (a Region pk) and ``profile``.
    """
    membership, _ = Membership.objects.update_or_create(
        user=user,
        site=site,
        defaults={"company_request": company, "notify_matches": notify_matches},
    )
    if has_verified_email(user):
        create_company(membership)
    return membership


@transaction.atomic
def create_company(membership: Membership) -> CompanyPage | None:
    """Turn the membership's company request into a draft page in moderation."""
    request = membership.company_request
    if membership.company_id or not request:
        return membership.company
    directory = DirectoryIndexPage.objects.descendant_of(membership.site.root_page).first()
    region = Region.objects.filter(site=membership.site, pk=request.get("region")).first()
    if directory is None or region is None:
        return None  # a portal without a directory: the member's listings are their own
    name = request["name"]
    company = CompanyPage(
        title=name,
        slug=unique_slug(directory, name),
        profile=request.get("profile") or f"{name} is a member of {membership.site.site_name}.",
        country=request.get("country", ""),
        region=region,
        live=False,
        owner=membership.user,
    )
    directory.add_child(instance=company)
    start_moderation(company, membership.user)
    membership.company = company
    membership.company_request = {}
    membership.save(update_fields=["company", "company_request"])
    return company


def on_email_confirmed(request, email_address, **kwargs) -> None:
    for membership in Membership.objects.filter(user=email_address.user, company__isnull=True):
        create_company(membership)
