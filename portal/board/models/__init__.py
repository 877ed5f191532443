from .inquiries import Inquiry
from .listings import (
    CLOSE_REASONS,
    BoardIndexPage,
    BuyRequestPage,
    SellOfferPage,
    TradeListingPage,
)
from .quotes import MatchAlert, Quote

__all__ = [
    "CLOSE_REASONS",
    "BoardIndexPage",
    "BuyRequestPage",
    "Inquiry",
    "MatchAlert",
    "Quote",
    "SellOfferPage",
    "TradeListingPage",
]
