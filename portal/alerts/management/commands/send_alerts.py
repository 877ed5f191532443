"""``manage.py send_alerts``: email every due alert what is new for it.

Instant alerts write on every run, daily and weekly ones once a day or a week, price alerts
once per crossing. What is sent is recorded, so a rerun (or a run after a crash) sends nothing
twice. Run it from cron or a systemd timer (every 15 minutes to an hour); with
``--every SECONDS`` it keeps running and repeats (the demo server runs it that way).
"""

import time

from django.core.management.base import BaseCommand, CommandParser

from portal.alerts.sending import send_alerts


class Command(BaseCommand):
    help = "Email saved searches, follows and price alerts what is new for them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every", type=int, default=0, metavar="SECONDS", help="repeat at this interval"
        )

    def handle(self, *args, **options) -> None:
        while True:
            started = time.perf_counter()
            summary = send_alerts()
            if options["verbosity"]:
                self.stdout.write(
                    f"{summary.alerts} alert(s): sent {summary.emails} email(s) with"
                    f" {summary.listings} listing(s) and {summary.price_emails} price alert(s)"
                    f" in {time.perf_counter() - started:.1f} s"
                )
            if not options["every"]:
                return
            time.sleep(options["every"])
