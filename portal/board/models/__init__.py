from .inquiries import Inquiry
from .listings import (
    CLOSE_REASONS,
    NEWEST_FIRST,
    BoardIndexPage,
    BuyRequestPage,
    SellOfferPage,
    TradeListingPage,
)
from .quotes import MatchAlert, Quote

__all__ = [
    "CLOSE_REASONS",
    "NEWEST_FIRST",
    "BoardIndexPage",
    "BuyRequestPage",
    "Inquiry",
    "MatchAlert",
    "Quote",
    "SellOfferPage",
    "TradeListingPage",
]
