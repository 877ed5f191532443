"""``manage.py demo_sponsored``: sponsored listings and companies running today and a house
ad on every board, on every launched portal (deterministic; running it again resets them)."""

from django.core.management.base import BaseCommand

from portal.core.models import PortalHomePage
from portal.sponsored.demo import demo_sponsored


class Command(BaseCommand):
    help = "Create (or reset) the demo sponsored placement of every portal."

    def handle(self, *args, **options) -> None:
        lines = []
        for home in PortalHomePage.objects.order_by("industry_slug"):
            lines += [f"  {line} ({home.title})" for line in demo_sponsored(home)]
        if options["verbosity"] and lines:
            self.stdout.write("Demo sponsored placement:")
            self.stdout.write("\n".join(lines))
