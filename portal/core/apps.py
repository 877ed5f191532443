from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "portal.core"
    label = "core"
    verbose_name = "Portals"

    def ready(self) -> None:
        from . import changes, speedups

        changes.connect()
        speedups.install()
