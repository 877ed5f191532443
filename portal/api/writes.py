"""Members' own listings, with a token: post, change while in moderation, close.

Everything goes the way of the member area: the board's forms validate, ``lifecycle``
submits into moderation (nothing is public before a moderator approves it), the duplicate
check and the ``listing`` rate limit apply."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status
from ninja.decorators import decorate_view

from portal.board import lifecycle
from portal.board.lifecycle import own_listings
from portal.board.member_views import own_listing
from portal.board.models import TradeListingPage
from portal.core.context import portal_for_request, portal_site
from portal.members.models import Membership
from portal.plans.quotas import QuotaExceeded

from .auth import MemberToken
from .errors import Conflict
from .filters import ItemId
from .limits import check_writes
from .schemas import CloseIn, ListingIn, ListingPatch, OwnListingOut, Problem
from .serialize import Links
from .strict import refuse_unknown
from .submissions import draft_values, form_data, refuse_other_kind, validated

ERRORS = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 429: Problem}
DUPLICATE = "You already posted this listing. Renew or edit it instead."


def own_out(request: HttpRequest, listings: list[TradeListingPage]) -> list[dict[str, Any]]:
    """The member's listings with the status their dashboard shows."""
    statuses = lifecycle.statuses(listings)
    links = Links(portal_site(request))
    return [
        {
            "id": page.pk,
            "kind": page.kind,
            "title": page.title,
            "status": statuses[page.pk].code,
            "status_label": statuses[page.pk].label,
            "reason": statuses[page.pk].reason,
            "valid_until": page.valid_until,
            "url": links.url(page) if page.live else None,
        }
        for page in listings
    ]


def write_router() -> Router:
    router = Router(auth=MemberToken(), tags=["your listings"])

    @router.get("/me/listings/", response={200: list[OwnListingOut], **ERRORS})
    @decorate_view(refuse_unknown)
    def my_listings(request: HttpRequest) -> list[dict[str, Any]]:
        """Your listings on this portal, whatever their state."""
        membership: Membership = request.auth  # type: ignore[attr-defined]
        return own_out(request, list(own_listings(membership).order_by("-pk")[:200]))

    @router.post("/me/listings/", response={201: OwnListingOut, **ERRORS})
    @decorate_view(refuse_unknown)
    def post_listing(request: HttpRequest, body: ListingIn) -> Status:
        """Post a listing: it goes to the moderators, and is public once they approve it."""
        membership: Membership = request.auth  # type: ignore[attr-defined]
        check_writes(request, membership.user_id)
        fields = body.model_dump(exclude={"kind"})
        refuse_other_kind(body.kind, fields)
        board = lifecycle.board_of(membership.site)
        portal = portal_for_request(request).settings
        form = validated(body.kind, form_data(membership.site, fields, {}), portal)
        page = form.instance
        page.kind = body.kind
        if lifecycle.is_duplicate(membership, page):
            raise Conflict(DUPLICATE)
        try:
            lifecycle.submit_listing(page, board, membership)
        except QuotaExceeded as exceeded:  # the plan's limit: a 409 that names it
            raise Conflict(exceeded.message) from None
        return Status(201, own_out(request, [page])[0])

    @router.patch("/me/listings/{item_id}/", response={200: OwnListingOut, **ERRORS})
    @decorate_view(refuse_unknown)
    def change_listing(request: HttpRequest, item_id: ItemId, body: ListingPatch) -> dict[str, Any]:
        """Change a listing awaiting moderation or rejected; it goes to the moderators again."""
        membership: Membership = request.auth  # type: ignore[attr-defined]
        check_writes(request, membership.user_id)
        listing = own_listing(membership, item_id)
        if not lifecycle.statuses([listing])[listing.pk].can_edit:
            raise Conflict("Only listings awaiting moderation or rejected can be changed.")
        fields = body.model_dump(exclude_unset=True)
        refuse_other_kind(listing.kind, fields)
        draft = listing.get_latest_revision_as_object()
        data = form_data(membership.site, fields, draft_values(draft, listing.kind))
        portal = portal_for_request(request).settings
        form = validated(listing.kind, data, portal, instance=draft)
        lifecycle.resubmit_listing(form.instance, membership.user)
        return own_out(request, [own_listing(membership, item_id)])[0]

    @router.post("/me/listings/{item_id}/close/", response={200: OwnListingOut, **ERRORS})
    @decorate_view(refuse_unknown)
    def close_listing(request: HttpRequest, item_id: ItemId, body: CloseIn) -> dict[str, Any]:
        """Close a listing for good (``closed``), or mark it ``fulfilled``."""
        membership: Membership = request.auth  # type: ignore[attr-defined]
        listing = own_listing(membership, item_id)
        if not lifecycle.statuses([listing])[listing.pk].can_close:
            raise Conflict("This listing is already closed.")
        lifecycle.close(listing, membership.user, body.reason)
        return own_out(request, [listing])[0]

    return router
