"""What one ``send_alerts`` run did."""

from dataclasses import dataclass


@dataclass
class Summary:
    alerts: int = 0  # active alerts looked at
    emails: int = 0  # emails of new listings
    listings: int = 0  # listing deliveries recorded
    price_emails: int = 0
