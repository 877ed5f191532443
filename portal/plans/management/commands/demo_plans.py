"""``manage.py demo_plans``: paid plans for a few demo companies of every portal, with their
bank transfers recorded (run after ``demo_users``)."""

from django.core.management.base import BaseCommand

from portal.core.models import PortalHomePage
from portal.plans.demo import demo_plans


class Command(BaseCommand):
    help = "Create (or reset) demo plan assignments and payments. Never use in production."

    def handle(self, *args, **options) -> None:
        lines = []
        for home in PortalHomePage.objects.order_by("industry_slug"):
            lines += [f"  {line} ({home.title})" for line in demo_plans(home)]
        if options["verbosity"] and lines:
            self.stdout.write("Demo membership plans:")
            self.stdout.write("\n".join(lines))
