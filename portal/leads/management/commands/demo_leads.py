"""``manage.py demo_leads``: enquiries on demo franchises and investments, and statuses and
first replies on them and the board's demo inquiries (run after ``demo_users``)."""

from django.core.management.base import BaseCommand

from portal.core.models import PortalHomePage
from portal.leads.demo import demo_leads


class Command(BaseCommand):
    help = "Create (or reset) demo enquiries and inquiry statuses. Never use in production."

    def handle(self, *args, **options) -> None:
        lines = []
        for home in PortalHomePage.objects.order_by("industry_slug"):
            lines += [f"  {line} ({home.title})" for line in demo_leads(home)]
        if options["verbosity"] and lines:
            self.stdout.write("Demo leads:")
            self.stdout.write("\n".join(lines))
