from django.apps import AppConfig


class BoardConfig(AppConfig):
    name = "portal.board"
    label = "board"
    verbose_name = "Market board"

    def ready(self) -> None:
        from . import signals

        signals.connect()
