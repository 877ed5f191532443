"""Plan quotas: how many of a thing a company may have, checked where things are created.

The apps that own what is counted tell how to count it (:func:`register_usage`, from their
``AppConfig.ready()``); creating code checks under a per-company lock so that two racing
requests cannot both take the last slot::

    with transaction.atomic(), quotas.held(company):
        quotas.check(company, "live_listings")
        ...create the listing...
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from django.db import connection

from .current import plan_of
from .models import QUOTA_FIELDS, Plan, QuotaLock

if TYPE_CHECKING:
    from portal.directory.models import CompanyPage

QUOTAS = QUOTA_FIELDS

LABELS = {
    "live_listings": "live listings",
    "quotes_per_week": "quotes per week",
    "featured_slots": "featured slots",
    "catalogue_size": "catalogue products",
}

_usage: dict[str, Callable[["CompanyPage"], int]] = {}


class QuotaExceeded(Exception):
    """A company would go over its plan's limit; ``message`` tells the member why."""

    def __init__(self, quota: str, limit: int, used: int, plan: Plan, adding: int = 1) -> None:
        self.quota, self.limit, self.used, self.plan = quota, limit, used, plan
        these = f" and these {adding} would go over it" if adding > 1 else ""
        self.message = (
            f"Your {plan.name} plan allows {limit} {LABELS[quota]} and you have used {used}"
            f"{these}, so nothing was saved. A higher plan raises this limit: ask the "
            "association."
        )
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


def register_usage(quota: str, count: Callable[["CompanyPage"], int]) -> None:
    """Tell how many of ``quota`` a company uses now (again for one quota replaces it)."""
    if quota not in QUOTAS:
        raise ValueError(f"Unknown quota {quota!r}; one of {', '.join(QUOTAS)}")
    _usage[quota] = count


def used(company: "CompanyPage", quota: str) -> int:
    """How many of ``quota`` the company uses now (0 when no app counts it)."""
    count = _usage.get(quota)
    return count(company) if count is not None else 0


def check(company: "CompanyPage | None", quota: str, adding: int = 1) -> None:
    """Raise :class:`QuotaExceeded` if adding ``adding`` would take the company over its
    current plan's limit (no company, or an unlimited plan: no check)."""
    if company is None:
        return
    plan = plan_of(company)
    limit = plan.limit(quota)
    if limit is None:
        return
    in_use = used(company, quota)
    if in_use + adding > limit:
        raise QuotaExceeded(quota, limit, in_use, plan, adding)


def remaining(company: "CompanyPage | None", quota: str) -> int | None:
    """How many more the company may add now (None: unlimited)."""
    if company is None:
        return None
    limit = plan_of(company).limit(quota)
    if limit is None:
        return None
    return max(limit - used(company, quota), 0)


@contextmanager
def held(company: "CompanyPage | None") -> Iterator[None]:
    """Inside ``transaction.atomic()``: lock the company's quota row until the transaction
    ends, so that racing requests of one company check and create one after the other."""
    if company is not None:
        if not connection.in_atomic_block:
            raise RuntimeError("quotas.held() must run inside transaction.atomic()")
        QuotaLock.objects.bulk_create([QuotaLock(company_id=company.pk)], ignore_conflicts=True)
        QuotaLock.objects.select_for_update().filter(company_id=company.pk).get()
    yield


def claim(company: "CompanyPage | None", quota: str, adding: int = 1) -> None:
    """Inside ``transaction.atomic()``: lock the company's quotas until the transaction ends,
    then :func:`check` (for code that creates in the rest of the transaction)."""
    with held(company):
        check(company, quota, adding)


__all__ = [
    "QUOTAS",
    "QuotaExceeded",
    "check",
    "claim",
    "held",
    "register_usage",
    "remaining",
    "used",
]
