"""The catalogue's part of the member area: the company's products with their status, adding
and editing one (into moderation), withdrawing one."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from wagtail.models import Collection

from portal.core.context import portal_for_request
from portal.core.models import PortalSettings
from portal.defences.limits import rate_limited
from portal.members.models import Membership
from portal.members.views import member_required
from portal.plans import quotas

from . import lifecycle
from .forms import ProductForm, ProductImagesForm
from .models import ProductImage, ProductPage

NO_COMPANY = "Products belong to a company: your membership has none yet."


def own_product(membership: Membership, pk: int) -> ProductPage:
    """One of the member's company's products on this portal; else a 404."""
    return get_object_or_404(lifecycle.own_products(membership), pk=pk)


def _collection(portal: PortalSettings) -> Collection:
    return portal.collection or Collection.get_first_root_node()


@member_required
def products(request: HttpRequest, membership: Membership) -> HttpResponse:
    """The company's products on this portal, newest first, with their status."""
    index = lifecycle.catalogue_of(membership.site)
    rows = list(
        lifecycle.own_products(membership)
        .select_related("category")
        .order_by("-latest_revision_created_at", "-pk")
    )
    status = lifecycle.statuses(rows)
    return render(
        request,
        "catalogue/members/products.html",
        {
            "membership": membership,
            "index": index,
            "rows": [(product, status[product.pk]) for product in rows],
            "remaining": quotas.remaining(membership.company, lifecycle.QUOTA),
        },
    )


@member_required
@rate_limited("listing")
def add_product(request: HttpRequest, membership: Membership) -> HttpResponse:
    if not membership.company_id:
        raise Http404(NO_COMPANY)
    index = lifecycle.catalogue_of(membership.site)
    portal = portal_for_request(request).settings
    posted = request.method == "POST"
    form = ProductForm(request.POST if posted else None, portal=portal)
    pictures = ProductImagesForm(request.POST if posted else None, request.FILES or None)
    if posted and form.is_valid() and pictures.is_valid():
        page = form.instance
        try:
            quotas.check(membership.company, lifecycle.QUOTA)  # before storing any picture
            with transaction.atomic():
                gallery = pictures.gallery(_collection(portal), request.user, page.title)
                page.images = [ProductImage(image=image) for image in gallery]
                lifecycle.submit_product(page, index, membership)
        except quotas.QuotaExceeded as exceeded:
            form.add_error(None, str(exceeded))
        else:
            messages.success(
                request,
                f"Thank you. “{page.title}” is with the moderators; it goes live once approved.",
            )
            return redirect("members:products")
    return render(
        request,
        "catalogue/members/product_form.html",
        {"form": form, "pictures": pictures, "index": index},
    )


@member_required
@rate_limited("listing")
def edit_product(request: HttpRequest, membership: Membership, pk: int) -> HttpResponse:
    product = own_product(membership, pk)
    status = lifecycle.statuses([product])[product.pk]
    if not status.can_edit:
        messages.error(request, "A withdrawn product cannot be edited.")
        return redirect("members:products")
    draft = product.get_latest_revision_as_object()
    portal = portal_for_request(request).settings
    posted = request.method == "POST"
    form = ProductForm(request.POST if posted else None, instance=draft, portal=portal)
    pictures = ProductImagesForm(
        request.POST if posted else None, request.FILES or None, current=draft.gallery()
    )
    if posted and form.is_valid() and pictures.is_valid():
        page = form.instance
        with transaction.atomic():
            gallery = pictures.gallery(_collection(portal), request.user, page.title)
            page.images = [ProductImage(image=image) for image in gallery]
            lifecycle.resubmit_product(page, request.user)
        messages.success(request, f"“{page.title}” was sent to the moderators.")
        return redirect("members:products")
    return render(
        request,
        "catalogue/members/product_form.html",
        {"form": form, "pictures": pictures, "product": product, "status": status},
    )


@require_POST
@member_required
def withdraw_product(request: HttpRequest, membership: Membership, pk: int) -> HttpResponse:
    product = own_product(membership, pk)
    if not lifecycle.statuses([product])[product.pk].can_withdraw:
        messages.error(request, "This product is already withdrawn.")
    else:
        lifecycle.withdraw(product, request.user)
        messages.success(request, f"“{product.title}” is withdrawn.")
    return redirect("members:products")
