"""``manage.py serve_static``: preview the static builds, each under its portal's hostname."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.export.serve import serve


class Command(BaseCommand):
    help = "Serve <out>/<hostname>/ for every built portal (for previews; use any web server live)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--out", default=settings.STATIC_EXPORT_DIR)
        parser.add_argument("--address", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8001)

    def handle(self, *args, **options) -> None:
        out = Path(options["out"]).resolve()
        if not out.is_dir():
            raise CommandError(f"{out} does not exist: run `manage.py build_static --all` first.")
        try:
            server = serve(out, options["address"], options["port"])
        except OSError as error:
            raise CommandError(
                f"cannot listen on port {options['port']}: {error.strerror}"
            ) from None
        for folder in sorted(p for p in out.iterdir() if p.is_symlink() or p.is_dir()):
            if not folder.name.startswith("."):
                self.stdout.write(f"Static:   http://{folder.name}:{options['port']}/")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
