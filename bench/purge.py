"""Benchmark: what a change costs the page cache, and what a kept page saves.

Launches the steel portal with N demo listings on a fresh SQLite database (or DATABASE_URL),
with the app's own page cache (PAGE_CACHE=django, in a temporary folder), then prints:

- the time to work out and purge what one edit, one unpublication and 10 expiries touch,
  with the number of URLs purged, beside the floor measured in the same run: working out the
  static export's targets alone (what every purge starts from);
- a listing page, the board and the home page served uncached, then from the kept copy
  (median of R requests, Django test client, full middleware), and the ratio.

    .venv/bin/python bench/purge.py [--scale 2000] [--requests 50]
"""

import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.setup import scale_options, start_django  # noqa: E402


def timed(action: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def main() -> None:
    args = scale_options(__doc__)
    workdir = start_django("guildhall-bench-purge-")
    from django.conf import settings

    settings.PAGE_CACHE = "django"
    settings.WAGTAILFRONTENDCACHE = {
        "django": {"BACKEND": "portal.pagecache.backends.DjangoCacheBackend"}
    }
    settings.CACHES["pages"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(workdir / "pages"),
    }
    from django.core.management import call_command
    from django.test import Client
    from wagtail.models import Site

    from portal.board.lifecycle import expire_due
    from portal.board.models import NEWEST_FIRST, SellOfferPage, TradeListingPage
    from portal.core.changes import portal_changed
    from portal.export.targets import portal_targets
    from portal.pagecache.purge import purge_portal

    call_command("migrate", verbosity=0)
    call_command("launch_portal", "steel", demo=args.scale, domain="localhost", verbosity=0)
    site = Site.objects.get(hostname="steel.localhost")
    purge_portal(site)  # the first snapshot
    targets_seconds, targets = timed(lambda: portal_targets(site))
    print(f"steel portal, {args.scale} listings, {len(targets)} URLs; database: {site._state.db}")
    print(f"floor: working out the export's targets alone: {targets_seconds * 1000:.0f} ms")

    offers = SellOfferPage.objects.live().descendant_of(site.root_page).order_by(*NEWEST_FIRST)
    # Purges run after each change by themselves; here they are timed on their own instead.
    portal_changed.disconnect(dispatch_uid="pagecache-purge")
    offer = offers.first()

    def edit() -> None:
        offer.title = f"{offer.title} (edited)"
        offer.save_revision().publish()

    changes: list[tuple[str, Callable[[], object]]] = [("one listing edited", edit)]
    victim = offers[5]
    changes.append(("one listing unpublished", victim.unpublish))
    due = list(offers.values_list("pk", flat=True)[10:20])

    def expire() -> None:
        past = date.today() - timedelta(days=1)
        TradeListingPage.objects.filter(pk__in=due).update(valid_until=past)
        expire_due()

    changes.append(("10 listings expired (expire_due)", expire))
    print(f"{'change':36} {'purge ms':>9} {'x floor':>8} {'URLs purged':>12}")
    for label, change in changes:
        change()
        seconds, paths = timed(lambda: purge_portal(site))
        print(f"{label:36} {seconds * 1000:9.0f} {seconds / targets_seconds:8.1f} {len(paths):12d}")

    visitor = Client(HTTP_HOST="steel.localhost")
    board = offers.first().get_parent()
    pages = [
        ("listing page", offers[30].get_url_parts()[2]),
        ("board", board.get_url_parts()[2]),
        ("home page", "/"),
    ]
    print(f"{'page':14} {'uncached ms':>12} {'kept ms':>8} {'ratio':>6}")
    for label, path in pages:
        uncached, kept = [], []
        for _ in range(args.requests):
            call_command("purge_cache", "steel", verbosity=0)
            uncached.append(timed(lambda path=path: visitor.get(path))[0] * 1000)
            kept.append(timed(lambda path=path: visitor.get(path))[0] * 1000)
        slow, fast = statistics.median(uncached), statistics.median(kept)
        print(f"{label:14} {slow:12.1f} {fast:8.2f} {slow / fast:6.0f}")


if __name__ == "__main__":
    main()
