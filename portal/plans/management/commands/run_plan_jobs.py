"""``manage.py run_plan_jobs``: membership plans' daily work.

Sends renewal reminders (30, 7 and 1 days before a paid plan ends, each once) and tells the
page cache which portals have plans starting or lapsing today. Lapsing itself needs no job:
a plan past its end is no longer in force, and the company is on the free plan. Run it daily
or hourly (it is idempotent); with ``--every SECONDS`` it keeps running and repeats.
"""

import time

from django.core.management.base import BaseCommand, CommandParser

from portal.plans.reminders import note_plans_changed_today, send_renewal_reminders


class Command(BaseCommand):
    help = "Send plan renewal reminders; note the portals whose plans start or lapse today."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            metavar="SECONDS",
            help="repeat forever at this interval",
        )

    def handle(self, *args, **options) -> None:
        while True:
            sent = send_renewal_reminders()
            portals = note_plans_changed_today()
            if options["verbosity"]:
                self.stdout.write(
                    f"sent {sent} renewal reminder(s); plans changed today on {portals} portal(s)"
                )
            if not options["every"]:
                return
            time.sleep(options["every"])
