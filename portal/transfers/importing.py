"""Adding the listings of a checked file, all or none, each into moderation like a posted one."""

from django.db import transaction

from portal.board import lifecycle
from portal.board.models import BoardIndexPage, TradeListingPage
from portal.members.models import Membership


def import_listings(
    listings: list[TradeListingPage], board: BoardIndexPage, membership: Membership
) -> int:
    """Submit every listing to ``board``'s moderators in one transaction; returns how many.

    The listings go through the board's ``submit_listings``: the same drafts, revisions,
    moderation and notices as posting each one, written in batches."""
    with transaction.atomic():
        lifecycle.submit_listings(listings, board, membership)
    return len(listings)
