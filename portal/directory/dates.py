"""The day verification is judged on: checks lapse, badges go, filters change by it."""

from datetime import date

from django.utils import timezone


def today() -> date:
    """Today in the portal's time zone."""
    return timezone.localdate()
