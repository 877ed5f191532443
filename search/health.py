"""A short memory of engine failures, so that one outage does not make every request wait
for a timeout: after a failure, searches go straight to the database engine and publications
skip the inline send (the outbox keeps their changes) for a while."""

import time

PAUSE_SECONDS = 30
_down_until = 0.0


def mark_down(seconds: float = PAUSE_SECONDS) -> None:
    global _down_until
    _down_until = time.monotonic() + seconds


def mark_up() -> None:
    global _down_until
    _down_until = 0.0


def is_down() -> bool:
    return time.monotonic() < _down_until
