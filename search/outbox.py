"""Carrying document changes to the external engine: queued in the caller's transaction, sent
inline after commit when the engine is healthy, otherwise by the worker (``search_index
process``), retried with backoff."""

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import health
from .configured import get_engine
from .engines import EngineUnavailable
from .indexing import write_documents
from .models import SearchDocument, SearchOutbox

log = logging.getLogger(__name__)

BATCH = 500
MAX_BACKOFF = 3600


def external_engine_configured() -> bool:
    return bool(getattr(settings, "SEARCH_URL", ""))


def queue(page_ids: list[int]) -> None:
    """Put pages in the outbox for the external engine (in the caller's transaction)."""
    if not external_engine_configured():
        return
    SearchOutbox.objects.bulk_create(SearchOutbox(page_id=pk) for pk in page_ids)
    send_soon(page_ids)


def backoff(attempts: int) -> timedelta:
    """5 s, 10 s, 20 s … capped at an hour."""
    return timedelta(seconds=min(5 * 2 ** max(attempts - 1, 0), MAX_BACKOFF))


def process(limit: int | None = None, page_ids: list[int] | None = None) -> tuple[int, int]:
    """Send due outbox entries (or those of ``page_ids``) to the engine.

    Returns (sent, failed). Entries are removed only once the engine has them; on failure they
    are kept with their next attempt pushed back.
    """
    engine = get_engine()
    rows = SearchOutbox.objects.filter(next_attempt_at__lte=timezone.now())
    if page_ids is not None:
        rows = SearchOutbox.objects.filter(page_id__in=page_ids)
    rows = list(rows.order_by("pk")[: limit or BATCH])
    if not rows:
        return 0, 0
    rebuild = sorted({row.page_id for row in rows if row.rebuild})
    if rebuild:  # a change whose document could not be built at the time
        write_documents(rebuild)
    if not engine.external:
        SearchOutbox.objects.filter(pk__in=[row.pk for row in rows]).delete()
        return len(rows), 0
    wanted = {row.page_id for row in rows}
    docs = list(SearchDocument.objects.filter(page_id__in=wanted).prefetch_related("categories"))
    gone = sorted(wanted - {doc.page_id for doc in docs})
    try:
        if docs:
            engine.index(docs)
        if gone:
            # Versioned by when the removal was queued: a newer copy (republished since) stays.
            engine.delete(gone, at=max(row.created_at for row in rows if row.page_id in gone))
    except EngineUnavailable as error:
        health.mark_down()
        now = timezone.now()
        for row in rows:
            row.attempts += 1
            row.next_attempt_at = now + backoff(row.attempts)
            row.last_error = str(error)[:1000]
        SearchOutbox.objects.bulk_update(rows, ["attempts", "next_attempt_at", "last_error"])
        log.warning("Search engine update failed (%s); %d kept for retry", error, len(rows))
        return 0, len(rows)
    health.mark_up()
    SearchOutbox.objects.filter(pk__in=[row.pk for row in rows]).delete()
    return len(rows), 0


def send_soon(page_ids: list[int]) -> None:
    """After the current transaction commits, try to send these pages at once (best effort:
    the outbox keeps them if this fails, and the worker retries)."""
    if health.is_down():
        return

    def attempt() -> None:
        try:
            while process(page_ids=page_ids)[0]:
                pass
        except Exception:
            log.exception("Inline search update failed; the worker will retry")

    transaction.on_commit(attempt)


def drain(every: float = 0, stop=lambda: False, report=lambda sent, failed: None) -> None:
    """Process the outbox until it is empty, or forever every ``every`` seconds."""
    while not stop():
        sent, failed = process()
        report(sent, failed)
        if sent and not failed:
            continue  # more may be waiting
        if not every:
            return
        time.sleep(every)
