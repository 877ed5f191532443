"""Management commands that run once, or keep running and repeat with ``--every SECONDS``
(from cron or a systemd timer once; as a long-running worker, e.g. on the demo server)."""

import time
from collections.abc import Callable

from django.core.management.base import BaseCommand, CommandParser


class RepeatingCommand(BaseCommand):
    """A command with an ``--every SECONDS`` option: :meth:`repeat` runs its work once, or
    forever at that interval."""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every", type=int, default=0, metavar="SECONDS", help="repeat at this interval"
        )

    def repeat(self, options: dict, work: Callable[[], None]) -> None:
        """Run ``work`` once; with ``--every``, again after each interval, forever."""
        while True:
            work()
            if not options["every"]:
                return
            time.sleep(options["every"])
