"""``manage.py search_index rebuild|verify|process|status``: the search index's upkeep.

- ``rebuild [--portal SLUG] [--engine-only]``: rebuild the search documents from the pages
  (unless --engine-only), build a new engine index per portal and switch its alias to it
  (searches keep working meanwhile).
- ``verify [--portal SLUG] [--dry-run]``: compare pages, search documents and the engine;
  repair what differs (unless --dry-run) and print the counts.
- ``process [--every SECONDS]``: send queued changes to the engine (the outbox worker).
- ``status``: the engine in use and the outbox's length, and which portals have outgrown the
  database engine (if it is the one in use).
"""

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Max
from django.utils import timezone
from tqdm import tqdm

from portal.core.models import PortalHomePage
from search.advice import outgrown_database
from search.configured import get_engine
from search.documents import searchable_ids
from search.engines import EngineUnavailable
from search.indexing import engine_documents
from search.models import SearchDocument, SearchOutbox
from search.outbox import drain
from search.sync import reindex


class Command(BaseCommand):
    help = "Rebuild, verify or feed the search index."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["rebuild", "verify", "process", "status"])
        parser.add_argument("--portal", action="append", metavar="SLUG", help="only this portal")
        parser.add_argument("--dry-run", action="store_true", help="verify: report, repair nothing")
        parser.add_argument("--every", type=float, default=0, help="process: repeat forever")
        parser.add_argument(
            "--engine-only",
            action="store_true",
            help="rebuild: send the stored documents to a new engine index without rebuilding "
            "them from the pages first (a new engine, new mappings, a lost index)",
        )

    def handle(self, *args, **options) -> None:
        self.engine = get_engine()
        self.quiet = options["verbosity"] == 0
        self.engine_only = options["engine_only"]
        try:
            if options["action"] == "process":
                drain(options["every"], report=self.report_sent)
                return
            if options["action"] == "status":
                self.status()
                return
            for home in self.portals(options["portal"]):
                getattr(self, options["action"])(home, dry_run=options["dry_run"])
        except EngineUnavailable as error:
            raise CommandError(f"the search engine is unavailable: {error}") from error

    def portals(self, slugs: list[str] | None) -> list[PortalHomePage]:
        homes = PortalHomePage.objects.order_by("industry_slug")
        if slugs:
            homes = homes.filter(industry_slug__in=slugs)
            missing = set(slugs) - {home.industry_slug for home in homes}
            if missing:
                raise CommandError(f"no such portal: {', '.join(sorted(missing))}")
        return list(homes)

    def bar(self, total: int, label: str) -> tqdm:
        return tqdm(total=total, desc=label, unit="doc", disable=self.quiet, file=self.stderr)

    def rebuild(self, home: PortalHomePage, dry_run: bool = False) -> None:
        """Documents from the pages, then a new engine index behind the alias.

        Changes made meanwhile go to the old index through the alias and stay queued; once the
        alias points at the new index they are sent again, so none is lost."""
        slug = home.industry_slug
        queued_before = SearchOutbox.objects.aggregate(last=Max("pk"))["last"] or 0
        started = time.perf_counter()
        pages = sorted(searchable_ids(home))
        if not self.engine_only:
            with self.bar(len(pages), f"{slug}: documents") as bar:
                for start in range(0, len(pages), 500):
                    chunk = pages[start : start + 500]
                    reindex(chunk, send=False)
                    bar.update(len(chunk))
            forget_ids = SearchDocument.objects.filter(portal=slug).exclude(page_id__in=pages)
            reindex(list(forget_ids.values_list("page_id", flat=True)), send=False)
        docs = SearchDocument.objects.filter(portal=slug).prefetch_related("categories")
        snapshot = timezone.now()
        built = time.perf_counter()
        with self.bar(docs.count(), f"{slug}: {self.engine.name} index") as bar:
            count = self.engine.rebuild(slug, engine_documents(slug), bar.update)
        filled = time.perf_counter()
        SearchOutbox.objects.filter(pk__lte=queued_before, page_id__in=pages).delete()
        if self.engine.external:
            # What changed while the new index was filled went to the old one: send it again.
            self.engine.index(list(docs.filter(updated_at__gte=snapshot)))
            stored = set(docs.values_list("page_id", flat=True))
            self.engine.delete(sorted(self.engine.document_ids(slug) - stored), portal=slug)
            drain()
        self.stdout.write(
            f"{slug}: {count:,} documents indexed ({self.engine.name}); documents "
            + ("kept" if self.engine_only else f"built from the pages in {built - started:.1f} s")
            + f", the index filled in {filled - built:.1f} s"
            f" ({count / max(filled - built, 1e-6):,.0f} documents/s)"
        )

    def verify(self, home: PortalHomePage, dry_run: bool = False) -> None:
        slug = home.industry_slug
        pages = searchable_ids(home)
        stored = set(SearchDocument.objects.filter(portal=slug).values_list("page_id", flat=True))
        drift = pages ^ stored
        if drift and not dry_run:
            reindex(sorted(drift))
            stored = set(
                SearchDocument.objects.filter(portal=slug).values_list("page_id", flat=True)
            )
        in_engine = self.engine.document_ids(slug)
        missing, extra = stored - in_engine, in_engine - stored
        if not dry_run:
            if missing:
                reindex(sorted(missing), send=False)  # fresh versions: they win over old removals
                self.engine.index(
                    list(
                        SearchDocument.objects.filter(page_id__in=missing).prefetch_related(
                            "categories"
                        )
                    )
                )
            if extra:
                self.engine.delete(sorted(extra), portal=slug)
        verb = "to repair" if dry_run else "repaired"
        self.stdout.write(
            f"{slug}: {len(pages):,} searchable pages, {len(stored):,} documents, "
            f"{len(in_engine):,} in {self.engine.name}; {verb}: {len(drift):,} documents, "
            f"{len(missing):,} missing from and {len(extra):,} extra in the engine"
        )
        if dry_run and (drift or missing or extra):
            raise CommandError(f"{slug}: the search index has drifted")

    def status(self) -> None:
        pending = SearchOutbox.objects.count()
        failing = SearchOutbox.objects.filter(attempts__gt=0).count()
        up = "up" if self.engine.ping() else "DOWN"
        self.stdout.write(
            f"engine: {self.engine.name} ({up}); outbox: {pending:,} pending, {failing:,} retrying"
        )
        for advice in outgrown_database():
            self.stdout.write(self.style.WARNING(advice))

    def report_sent(self, sent: int, failed: int) -> None:
        if (sent or failed) and not self.quiet:
            self.stdout.write(f"sent {sent:,}, failed {failed:,} (kept for retry)")
