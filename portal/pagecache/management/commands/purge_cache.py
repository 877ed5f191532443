"""``manage.py purge_cache <slug>… | --all``: forget what page caches keep of portals.

Every change purges what it touches by itself; this is for what the app cannot see, such as a
deployment of new templates: ``purge_cache --all`` after it.
"""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from wagtail.models import Site

from portal.export.targets import portal_sites
from portal.pagecache.backends import ban
from portal.pagecache.models import PurgeSnapshot
from portal.pagecache.purge import purging


class Command(BaseCommand):
    help = "Purge everything page caches keep of the named portals (or of every site)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slugs", nargs="*", help="industry slugs of the portals")
        parser.add_argument("--all", action="store_true", help="every site, the hub included")

    def handle(self, *args, **options) -> None:
        if bool(options["slugs"]) == options["all"]:
            raise CommandError("name the portals to purge, or --all")
        if not purging():
            raise CommandError("no page cache is configured (PAGE_CACHE is off)")
        try:
            sites = Site.objects.all() if options["all"] else portal_sites(options["slugs"])
        except LookupError as error:
            raise CommandError(str(error)) from None
        for site in sites:
            ban(site.root_url, "/")
            PurgeSnapshot.objects.filter(site=site).delete()  # the next change starts afresh
            if options["verbosity"]:
                self.stdout.write(f"purged {site.root_url}/")
