"""``manage.py send_alerts``: email every due alert what is new for it.

Instant alerts write on every run, daily and weekly ones once a day or a week, price alerts
once per crossing. What is sent is recorded, so a rerun (or a run after a crash) sends nothing
twice. Run it from cron or a systemd timer (every 15 minutes to an hour); with
``--every SECONDS`` it keeps running and repeats (the demo server runs it that way).
"""

import time

from portal.alerts.sending import send_alerts
from portal.core.commands import RepeatingCommand


class Command(RepeatingCommand):
    help = "Email saved searches, follows and price alerts what is new for them."

    def handle(self, *args, **options) -> None:
        self.repeat(options, lambda: self.send(options))

    def send(self, options: dict) -> None:
        started = time.perf_counter()
        summary = send_alerts()
        if options["verbosity"]:
            self.stdout.write(
                f"{summary.alerts} alert(s): sent {summary.emails} email(s) with"
                f" {summary.listings} listing(s) and {summary.price_emails} price alert(s)"
                f" in {time.perf_counter() - started:.1f} s"
            )
