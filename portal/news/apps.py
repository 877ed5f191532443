from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "portal.news"
    label = "news"
    verbose_name = "News"

    def ready(self) -> None:
        from portal.core.sections import register

        from .section import NEWS

        register(NEWS)
