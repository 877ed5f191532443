"""``manage.py run_plan_jobs``: membership plans' daily work.

Sends renewal reminders (30, 7 and 1 days before a paid plan ends, each once) and tells the
page cache which portals have plans starting or lapsing today. Lapsing itself needs no job:
a plan past its end is no longer in force, and the company is on the free plan. Run it daily
or hourly (it is idempotent); with ``--every SECONDS`` it keeps running and repeats.
"""

from portal.core.commands import RepeatingCommand
from portal.plans.reminders import note_plans_changed_today, send_renewal_reminders


class Command(RepeatingCommand):
    help = "Send plan renewal reminders; note the portals whose plans start or lapse today."

    def handle(self, *args, **options) -> None:
        self.repeat(options, lambda: self.run_jobs(options))

    def run_jobs(self, options: dict) -> None:
        sent = send_renewal_reminders()
        portals = note_plans_changed_today()
        if options["verbosity"]:
            self.stdout.write(
                f"sent {sent} renewal reminder(s); plans changed today on {portals} portal(s)"
            )
