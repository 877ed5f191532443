"""``manage.py demo_alerts``: saved searches, follows and a price alert for the demo accounts
(run after ``demo_users`` and ``assess_prices``); ``send_alerts`` then emails them (the demo
prints them)."""

from django.core.management.base import BaseCommand

from portal.alerts.demo import demo_alerts
from portal.core.models import PortalHomePage


class Command(BaseCommand):
    help = "Create (or reset) demo alerts of the demo accounts. Never use in production."

    def handle(self, *args, **options) -> None:
        lines = []
        for home in PortalHomePage.objects.order_by("industry_slug"):
            lines += [f"  {line} ({home.title})" for line in demo_alerts(home)]
        if options["verbosity"] and lines:
            self.stdout.write("Demo alerts — sent by send_alerts:")
            self.stdout.write("\n".join(lines))
