from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "portal.events"
    label = "events"
    verbose_name = "Events"

    def ready(self) -> None:
        from portal.core.sections import register

        from .section import EVENTS

        register(EVENTS)
