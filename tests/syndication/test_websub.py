"""Pinging a WebSub hub, against a hub on a local HTTP server."""

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs

import pytest

from portal.syndication.websub import ping_hub

FEED = "http://steel.localhost:8000/feeds/board/category/coil/atom.xml"


class Hub(BaseHTTPRequestHandler):
    received: list[dict] = []
    status = 204

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        type(self).received.append(
            {
                "type": self.headers["Content-Type"],
                "form": parse_qs(self.rfile.read(length).decode()),
            }
        )
        self.send_response(type(self).status)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def hub() -> Iterator[str]:
    Hub.received, Hub.status = [], 204
    server = HTTPServer(("127.0.0.1", 0), Hub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


def test_the_hub_is_told_which_feeds_changed(hub, settings):
    settings.WEBSUB_HUB_URL = hub
    other = FEED.replace("coil", "rebar")
    assert ping_hub([FEED, other, FEED]) == [FEED, other]
    assert [request["form"] for request in Hub.received] == [
        {"hub.mode": ["publish"], "hub.url": [FEED]},
        {"hub.mode": ["publish"], "hub.url": [other]},
    ]
    assert Hub.received[0]["type"] == "application/x-www-form-urlencoded"


def test_a_refusing_or_missing_hub_costs_nothing(hub, settings, caplog):
    Hub.status = 500
    assert ping_hub([FEED], hub=hub) == []
    assert "refused" in caplog.text
    assert ping_hub([FEED], hub="http://127.0.0.1:9/") == []  # nothing listens
    settings.WEBSUB_HUB_URL = ""
    Hub.received = []
    assert ping_hub([FEED]) == [] and Hub.received == []
