from django.apps import AppConfig


class BoardConfig(AppConfig):
    name = "portal.board"
    label = "board"
    verbose_name = "Market board"

    def ready(self) -> None:
        from portal.core.sections import register

        from . import quotas, signals
        from .section import BOARD

        register(BOARD)
        signals.connect()
        quotas.register()
