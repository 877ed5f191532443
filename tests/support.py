"""Helpers tests share: a free port for a server of their own, and an email backend that
always fails (a mail outage must lose nothing)."""

import socket

from django.core.mail.backends.base import BaseEmailBackend


def free_port() -> int:
    """A TCP port on loopback that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class FailingEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("the mail server is down")
