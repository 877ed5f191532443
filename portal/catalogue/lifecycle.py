"""A product's life: submitted into the portal's moderation (one, or many from an import),
edited and sent again, withdrawn; what its company sees of it; what it counts for the
``catalogue_size`` quota."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from wagtail.models import Site, WorkflowState

from portal.core.moderation import (
    approval_task,
    rejection_comments,
    start_moderation,
    submit_new_pages,
    take_down,
    unique_slug,
    unique_slugs,
    workflow_statuses,
)
from portal.directory.models import CompanyPage
from portal.mail import send_digest
from portal.members.models import Membership
from portal.plans import quotas

from .models import ProductIndexPage, ProductPage

QUOTA = "catalogue_size"
DRAFT, PENDING, LIVE, REJECTED, WITHDRAWN = "draft", "pending", "live", "rejected", "withdrawn"


@dataclass(frozen=True)
class ProductStatus:
    code: str
    label: str
    reason: str = ""  # the moderator's comment on a rejection

    @property
    def can_edit(self) -> bool:
        return self.code in (DRAFT, PENDING, REJECTED, LIVE)

    @property
    def can_withdraw(self) -> bool:
        return self.code != WITHDRAWN


def catalogue_of(site: Site) -> ProductIndexPage:
    """The live products section of the portal ``site`` serves; a 404 if it has none."""
    index = ProductIndexPage.objects.child_of(site.root_page).live().first()
    if index is None:
        raise Http404("This portal has no product catalogues.")
    return index


def own_products(membership: Membership) -> QuerySet:
    """The member's company's products on this portal (none without a company)."""
    if not membership.company_id:
        return ProductPage.objects.none()
    return ProductPage.objects.descendant_of(membership.site.root_page).filter(
        company_id=membership.company_id
    )


def catalogue_size(company: CompanyPage) -> int:
    """What a company's catalogue counts against its plan: its products not withdrawn."""
    return ProductPage.objects.filter(company=company, withdrawn_on__isnull=True).count()


def statuses(products: Sequence[ProductPage]) -> dict[int, ProductStatus]:
    """The status the company sees for each product, in two queries."""
    active = workflow_statuses(products)
    comments = rejection_comments(products)
    found = {}
    for page in products:
        workflow = active.get(page.pk)
        if page.withdrawn_on:
            status = ProductStatus(WITHDRAWN, "Withdrawn")
        elif workflow == WorkflowState.STATUS_IN_PROGRESS:
            status = ProductStatus(PENDING, "Awaiting moderation")
        elif workflow == WorkflowState.STATUS_NEEDS_CHANGES:
            status = ProductStatus(REJECTED, "Rejected", comments.get(page.pk, ""))
        elif page.live:
            status = ProductStatus(LIVE, "Live")
        else:
            status = ProductStatus(DRAFT, "Draft")
        found[page.pk] = status
    return found


def _prepare(page: ProductPage, membership: Membership) -> None:
    page.live = False
    page.owner = membership.user
    page.company = membership.company


def submit_product(
    page: ProductPage, index: ProductIndexPage, membership: Membership
) -> ProductPage:
    """Add a member's new product (with its unsaved images) to ``index`` as a draft and put
    it before the moderators. Raises ``quotas.QuotaExceeded``, saving nothing, when the
    company's catalogue is full."""
    with transaction.atomic():
        quotas.claim(membership.company, QUOTA)  # locked until the product is in
        _prepare(page, membership)
        page.slug = unique_slug(index, page.title)
        index.add_child(instance=page)
        start_moderation(page, membership.user)
    return page


def submit_products(
    pages: Sequence[ProductPage], index: ProductIndexPage, membership: Membership
) -> list[ProductPage]:
    """``submit_product`` for many new products (an import), all or none: the quota is
    checked for the whole batch, and the pages are written in a few queries per batch."""
    pages = list(pages)
    with transaction.atomic():
        quotas.claim(membership.company, QUOTA, adding=len(pages))  # all or none
        moderation = approval_task(index)
        if moderation is None:
            for page in pages:
                _prepare(page, membership)
                page.slug = unique_slug(index, page.title)
                index.add_child(instance=page)
                start_moderation(page, membership.user)
            return pages
        for page, slug in zip(pages, unique_slugs(index, [p.title for p in pages]), strict=True):
            _prepare(page, membership)
            page.slug = slug
        digest = partial(
            send_digest, "products_submitted", pages, index.portal_site, membership.user
        )
        submit_new_pages(index, pages, membership.user, moderation, digest)
    return pages


@transaction.atomic
def resubmit_product(page: ProductPage, user) -> None:
    """Save a member's changes to a product as a new revision and (re)start moderation; a
    live product stays as it was until the moderators approve the change."""
    start_moderation(page, user)


@transaction.atomic
def withdraw(page: ProductPage, user) -> None:
    """Take a product off the portal for good: its moderation cancelled, unpublished, no
    longer counted in the catalogue's size."""
    take_down(page, user, withdrawn_on=date.today())
