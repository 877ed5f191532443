"""``manage.py run_board_jobs``: the board's scheduled jobs.

Unpublishes listings past their valid-until date (their URLs then answer 410 Gone), emails
listers whose listings expire soon, relays inquiries that had nobody to go to, and retries the
emails the mail server did not take (inquiries, alerts, moderation notices...). Run it
from cron or a systemd timer, e.g. hourly; with ``--every SECONDS`` it keeps running and
repeats (the demo server runs it that way).
"""

from portal.board.lifecycle import expire_due, send_reminders
from portal.board.relay import relay_pending
from portal.core import changes
from portal.core.commands import RepeatingCommand
from portal.defences.forms import forget_spent_tokens
from portal.mail import retry_queued_mail


class Command(RepeatingCommand):
    help = "Unpublish expired listings, send expiry reminders, retry unsent inquiries and emails."

    def handle(self, *args, **options) -> None:
        self.repeat(options, lambda: self.run_jobs(options))

    def run_jobs(self, options: dict) -> None:
        expired = expire_due()
        reminded = send_reminders()
        relayed = relay_pending()
        retried = retry_queued_mail()
        forget_spent_tokens()
        # What lapses by date alone (a verification badge, an investment's deadline).
        changes.note_every_portal()
        if options["verbosity"]:
            self.stdout.write(
                f"expired {expired} listing(s), sent {reminded} reminder(s),"
                f" relayed {relayed} delayed inquir{'y' if relayed == 1 else 'ies'},"
                f" sent {retried} delayed email(s)"
            )
