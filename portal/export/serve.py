"""A small static file server for previewing builds: one folder per hostname, like a CDN.

For previews only; in production any static file server or CDN serves ``<out>/<hostname>/``.
"""

import functools
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class PortalFilesHandler(SimpleHTTPRequestHandler):
    """Serves ``<out>/<Host header without port>/``; missing files get the portal's 404.html."""

    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".xml": "application/xml",
        ".js": "text/javascript",
    }

    def __init__(self, *args, out: Path, **kwargs) -> None:
        self.out = out
        super().__init__(*args, directory=str(out), **kwargs)

    def translate_path(self, path: str) -> str:
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0].lower()
        folder = self.out / host
        if not host or host.startswith(".") or "/" in host or not folder.is_dir():
            return str(self.out / ".no-such-portal")
        self.directory = str(folder)
        return super().translate_path(path)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None):
        page = Path(self.directory) / "404.html"
        if code == HTTPStatus.NOT_FOUND and page.is_file():
            body = page.read_bytes()
            self.send_response(code)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def log_message(self, format: str, *args) -> None:
        pass


def serve(out: Path, address: str, port: int) -> ThreadingHTTPServer:
    handler = functools.partial(PortalFilesHandler, out=out)
    return ThreadingHTTPServer((address, port), handler)
