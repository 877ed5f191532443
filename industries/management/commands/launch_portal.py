"""``manage.py launch_portal <slug> | --all``: create or update portals from industry files."""

from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from industries.launch import launch
from industries.loader import IndustryError, available_slugs, load_industry
from portal.core import changes
from search.advice import outgrown_database


class Command(BaseCommand):
    help = (
        "Create or update a portal (site, sections, taxonomy, groups) from industries/<slug>.yaml."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slugs", nargs="*", metavar="slug", help="industry file name(s)")
        parser.add_argument("--all", action="store_true", help="every industries/*.yaml")
        parser.add_argument("--hostname", help="serve at this host[:port] instead of the file's")
        parser.add_argument(
            "--domain",
            help="serve each portal at <slug>.<domain>, e.g. --domain localhost:8000",
        )
        parser.add_argument(
            "--demo",
            type=int,
            default=0,
            metavar="N",
            help="add deterministic demo content at scale N (N board listings)",
        )
        parser.add_argument(
            "--as-of",
            type=date.fromisoformat,
            default=None,
            metavar="YYYY-MM-DD",
            help="reference date for demo content (default: today)",
        )

    def handle(self, *args, **options) -> None:
        directory = settings.INDUSTRIES_DIR
        slugs = available_slugs(directory) if options["all"] else options["slugs"]
        if not slugs:
            raise CommandError("name an industry (e.g. launch_portal steel) or pass --all")
        if options["hostname"] and len(slugs) > 1:
            raise CommandError("--hostname applies to one portal; use --domain with several")
        if options["demo"] < 0:
            raise CommandError("--demo takes a number of listings, 0 or more")
        try:
            # Validate every file first, so a broken one launches nothing at all.
            industries = [load_industry(slug, directory, settings.THEMES) for slug in slugs]
        except IndustryError as error:
            raise CommandError(str(error)) from None
        for field in ("name", "hostname"):
            if field == "hostname" and (options["domain"] or options["hostname"]):
                continue
            seen: dict[str, str] = {}
            for industry in industries:
                value = getattr(industry, field)
                if value in seen:
                    raise CommandError(
                        f"{industry.slug}.yaml and {seen[value]}.yaml have the same {field} "
                        f"{value!r}; each portal needs its own"
                    )
                seen[value] = industry.slug

        for industry in industries:
            hostname = options["hostname"]
            if options["domain"]:
                hostname = f"{industry.slug}.{options['domain']}"
            self.stdout.write(f"Launching {industry.name} …")
            try:
                report = launch(
                    industry, hostname, progress=lambda step: self.stdout.write(f"  · {step}")
                )
            except IndustryError as error:
                raise CommandError(f"{industry.slug}: {error}") from None
            if options["demo"]:
                from portal.demo.generate import generate_demo

                generate_demo(
                    industry,
                    report.home,
                    options["demo"],
                    today=options["as_of"] or date.today(),
                    progress=self.stdout if options["verbosity"] else None,
                )
            # Whatever pages caches keep of this portal are purged (the demo adds pages in bulk).
            changes.note(report.site.pk)
            for warning in report.warnings:
                self.stderr.write(self.style.WARNING(f"  ! {warning}"))
            state = (
                "created"
                if report.created
                else (
                    f"updated ({len(report.changes)} change(s))" if report.changes else "up to date"
                )
            )
            self.stdout.write(
                self.style.SUCCESS(f"{industry.name}: {state} — {report.site.root_url}/")
            )
            for advice in outgrown_database([industry.slug]):
                self.stderr.write(self.style.WARNING(f"  ! {advice}"))
