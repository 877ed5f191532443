"""Filters for the logging configuration (``LOGGING`` in settings)."""

import logging


class QuietGone(logging.Filter):
    """Drops Django's warning for a 410 Gone response: an expired or closed listing answers
    410 on purpose, and a busy portal would otherwise log one line per visit of one."""

    def filter(self, record: logging.LogRecord) -> bool:
        return getattr(record, "status_code", None) != 410
