"""``manage.py expire_listings``: the former name of ``run_board_jobs``, kept so that existing
schedules keep working; it says so and runs the board's jobs."""

from .run_board_jobs import Command as RunBoardJobs


class Command(RunBoardJobs):
    help = "Renamed: use run_board_jobs (expiry, reminders and inquiry retries)."

    def handle(self, *args, **options) -> None:
        self.stderr.write("expire_listings is now called run_board_jobs; please update schedules.")
        super().handle(*args, **options)
