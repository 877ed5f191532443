"""Errors the API answers with, always as JSON ``{"detail": ..., "parameter": ...}``."""

from ninja.errors import HttpError


class BadParameter(HttpError):
    """A 400 about one query parameter or body field, which it names."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(400, message)
        self.parameter = parameter


class Conflict(HttpError):
    """A 409: the item is not in a state that allows the change."""

    def __init__(self, message: str) -> None:
        super().__init__(409, message)
