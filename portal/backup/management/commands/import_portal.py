"""``manage.py import_portal <archive>``: restore a portal written by ``export_portal``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from portal.backup.archive import Archive, BackupError
from portal.backup.restore import restore_portal
from portal.backup.summary import describe_counts


class Command(BaseCommand):
    help = (
        "Restore a portal from an export_portal archive, in one transaction, with new keys "
        "beside the portals already here; refuses a portal that exists unless --replace."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="a .tar.gz written by export_portal")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="remove the portal with the same slug or hostname first (in the same "
            "transaction: if the restore fails, the old portal stays)",
        )

    def handle(self, *args, **options) -> None:
        quiet = options["verbosity"] == 0
        try:
            with Archive(options["archive"]) as archive:
                portal = archive.portal
                total = sum(archive.manifest.get("counts", {}).values())
                with tqdm(
                    total=total, desc=portal["slug"], unit="row", disable=quiet, file=self.stderr
                ) as bar:
                    restored = restore_portal(archive, options["replace"], bar.update)
        except BackupError as error:
            raise CommandError(str(error)) from None
        if quiet:
            return
        action = "replaced" if restored.replaced else "restored"
        self.stdout.write(
            self.style.SUCCESS(
                f"{restored.site.site_name}: {action} at {restored.site.root_url}/ — "
                f"{describe_counts(archive.manifest.get('counts', {}))}"
            )
        )
        self.stdout.write("  · search documents rebuilt for its pages")
        self.stdout.write(
            f"  · if you publish a static copy, rebuild it: manage.py build_static {portal['slug']}"
        )
