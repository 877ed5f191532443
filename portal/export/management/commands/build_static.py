"""``manage.py build_static <slug>|--all``: write each portal as a static site.

Run it after publishing, or from cron; with ``--every SECONDS`` it keeps running and brings
the copies up to date at that interval (only what changed is rendered).
"""

import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from tqdm import tqdm

from portal.core.commands import RepeatingCommand
from portal.export import pagefind
from portal.export.assets import export_settings
from portal.export.builder import BuildFailed, build_portal
from portal.export.output import BuildBusy
from portal.export.render import site_address
from portal.export.targets import portal_sites

MAX_LISTED = 20
DEFAULT_JOBS = min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)


class Command(RepeatingCommand):
    help = (
        "Write every live public page of a portal, its feeds, sitemap, assets and a search "
        "index to <out>/<hostname>/; only what changed since the last build is rendered."
    )

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument("slugs", nargs="*", help="industry slugs of the portals to build")
        parser.add_argument("--all", action="store_true", help="build every portal")
        parser.add_argument("--out", default=settings.STATIC_EXPORT_DIR, help="output folder")
        parser.add_argument(
            "--base-url",
            default=settings.STATIC_BASE_URL,
            help="where the static copy is served, e.g. https://{hostname} "
            "(default: the portal's own address)",
        )
        parser.add_argument(
            "--live-url",
            default=settings.STATIC_LIVE_URL,
            help="the live site that forms post to and sign-in links lead to "
            "(default: the portal's own address)",
        )
        parser.add_argument("--full", action="store_true", help="render everything again")
        parser.add_argument("--jobs", type=int, default=DEFAULT_JOBS, help="parallel processes")

    def handle(self, *args, **options) -> None:
        if bool(options["slugs"]) == options["all"]:
            raise CommandError("Name the portals to build (industry slugs), or pass --all.")
        out = Path(options["out"]).resolve()
        self.repeat(options, lambda: self.build_round(out, options))

    def build_round(self, out: Path, options: dict) -> None:
        """One build of the portals; with --every, a failure is reported and retried later."""
        try:
            self.build(self.sites(options), out, options)
        except CommandError as error:
            if not options["every"]:
                raise
            self.stderr.write(f"{error} Next try in {options['every']} s.")
        except Exception as error:  # keep a long-running builder alive (--every)
            if not options["every"]:
                raise
            self.stderr.write(f"Build failed: {error!r}. Next try in {options['every']} s.")

    def sites(self, options: dict) -> list:
        """Looked up again for every round of --every: portals come, go and get renamed."""
        try:
            sites = portal_sites(None if options["all"] else options["slugs"])
        except LookupError as error:
            raise CommandError(f"{error}; run `manage.py launch_portal <slug>` first.") from None
        if not sites:
            raise CommandError("No portal has been launched yet: run `manage.py launch_portal`.")
        return sites

    def build(self, sites: list, out: Path, options: dict) -> None:
        """Build every portal in ``sites``; one that fails does not stop the others."""
        failures = []
        with export_settings(out / ".builds" / ".static"):
            for site in sites:
                try:
                    self.build_one(site, out, options)
                except CommandError as error:
                    failures.append(str(error))
                    if len(sites) > 1:
                        self.stderr.write(str(error))
        if len(failures) == 1:
            raise CommandError(failures[0])
        if failures:
            raise CommandError(f"{len(failures)} of {len(sites)} portals failed to build.")

    def build_one(self, site, out: Path, options: dict) -> None:
        quiet = options["verbosity"] == 0
        address = site_address(site)
        base_url = (options["base_url"] or address).format(hostname=site.hostname)
        live_url = (options["live_url"] or address).format(hostname=site.hostname)

        def progress(total: int, host: str = site.hostname) -> tqdm:
            return tqdm(total=total, desc=host, unit="page", disable=quiet, file=self.stderr)

        try:
            report = build_portal(
                site,
                out,
                base_url,
                live_url,
                out / ".builds" / ".static",
                full=options["full"],
                jobs=max(1, options["jobs"]),
                progress=progress,
            )
        except BuildFailed as failure:
            for line in failure.details[:MAX_LISTED]:
                self.stderr.write(f"  {line}")
            more = len(failure.details) - MAX_LISTED
            if more > 0:
                self.stderr.write(f"  … and {more} more")
            raise CommandError(
                f"{site.hostname}: {failure}; the previous build is still in place."
            ) from None
        except pagefind.PagefindError as error:
            raise CommandError(f"{site.hostname}: search index failed: {error}") from None
        except BuildBusy:
            raise CommandError(
                f"{site.hostname}: another build of this portal is running."
            ) from None
        except OSError as error:  # the disk full, a folder not writable...
            where = f" ({error.filename})" if error.filename else ""
            raise CommandError(
                f"{site.hostname}: {error.strerror or error}{where}; "
                "the previous build is still in place."
            ) from None
        if not quiet:
            timings = ", ".join(f"{k} {v:.1f} s" for k, v in report.timings.items())
            self.stdout.write(
                f"{site.hostname}: {report.rendered:,} rendered, "
                f"{report.kept:,} unchanged, {report.removed:,} removed "
                f"in {report.seconds:.1f} s ({timings}) "
                f"→ {out / site.hostname}, served at {base_url}/"
            )
