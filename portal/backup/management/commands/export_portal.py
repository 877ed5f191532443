"""``manage.py export_portal <slug>``: write one portal to a ``.tar.gz`` archive."""

from datetime import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from portal.backup.archive import BackupError
from portal.backup.collect import collect_portal, find_portal
from portal.backup.exporting import export_portal
from portal.backup.summary import describe_counts


class Command(BaseCommand):
    help = (
        "Write a portal (pages with their revisions, site, settings, taxonomy, groups, "
        "workflow, images and documents with their files) to one .tar.gz archive that "
        "import_portal restores."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="industry slug of the portal")
        parser.add_argument(
            "--output",
            "-o",
            type=Path,
            help="archive to write (default: <slug>-<date>-<time>.tar.gz here)",
        )
        parser.add_argument(
            "--with-members",
            action="store_true",
            help="also the portal's members and its groups' people (accounts, email "
            "addresses, memberships), inquiries and quotes",
        )

    def handle(self, *args, **options) -> None:
        slug = options["slug"]
        path = options["output"] or Path(f"{slug}-{datetime.now():%Y%m%d-%H%M%S}.tar.gz")
        if not path.parent.is_dir():
            raise CommandError(f"{path.parent}: no such folder")
        try:
            home = find_portal(slug)
            snapshot = collect_portal(home, options["with_members"])
            with tqdm(
                total=len(snapshot.media),
                desc=f"{slug} media",
                unit="file",
                disable=options["verbosity"] == 0,
                file=self.stderr,
            ) as bar:
                exported = export_portal(snapshot, path, bar.update)
        except BackupError as error:
            raise CommandError(str(error)) from None
        for name in exported.missing_media:
            self.stderr.write(self.style.WARNING(f"  ! {name}: not in media storage, left out"))
        if options["verbosity"]:
            size = path.stat().st_size / 1_000_000
            self.stdout.write(
                self.style.SUCCESS(
                    f"{snapshot.site.site_name}: {describe_counts(exported.manifest['counts'])}, "
                    f"{len(exported.manifest['media'])} media files → {path} ({size:.1f} MB)"
                )
            )
