"""``manage.py assess_prices``: publish the points of every price series at its cutoffs.

Idempotent: each run works the points of the last ``--days`` out again from what the board
and the editors hold, writes only what differs, and keeps a corrected point's earlier value.
Run it from cron or a systemd timer after each series' cutoff (hourly is plenty); ``make demo``
runs it once the demo history exists.
"""

import time

from django.core.management.base import CommandError, CommandParser

from portal.core.commands import RepeatingCommand
from portal.core.models import PortalHomePage
from portal.prices.assess import Summary, assess_portal
from portal.prices.models import PriceIndexPage


class Command(RepeatingCommand):
    help = "Assess every price series of the portals (all by default) at its cutoffs."

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("slugs", nargs="*", metavar="SLUG", help="portals (default: all)")
        parser.add_argument(
            "--days",
            type=int,
            default=400,
            help="how far back to assess (default 400: a year, and a base for its change)",
        )

    def handle(self, *args, **options) -> None:
        if options["days"] < 1:
            raise CommandError("--days must be at least 1")
        homes = PortalHomePage.objects.order_by("industry_slug")
        if options["slugs"]:
            known = set(homes.values_list("industry_slug", flat=True))
            unknown = [slug for slug in options["slugs"] if slug not in known]
            if unknown:
                launched = ", ".join(sorted(known)) or "none"
                raise CommandError(f"no portal {', '.join(unknown)} (launched: {launched})")
            homes = homes.filter(industry_slug__in=options["slugs"])
        self.repeat(options, lambda: self._assess_all(homes, options))

    def _assess_all(self, homes, options: dict) -> None:
        for home in homes:
            self._assess(home, options)

    def _assess(self, home: PortalHomePage, options: dict) -> None:
        index = PriceIndexPage.objects.live().child_of(home).first()
        if index is None:
            return
        started = time.perf_counter()
        verbose = options["verbosity"] > 1
        summary: Summary = assess_portal(
            index,
            days=options["days"],
            progress=(lambda line: self.stdout.write(f"  {line}")) if verbose else None,
        )
        if options["verbosity"]:
            self.stdout.write(
                f"{home.industry_slug}: {summary.series} series, {summary.created} new point(s), "
                f"{summary.corrected} corrected, {summary.updated} updated, "
                f"{summary.unchanged} unchanged in {time.perf_counter() - started:.1f}s"
            )
