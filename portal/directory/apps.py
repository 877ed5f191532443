from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "portal.directory"
    label = "directory"
    verbose_name = "Company directory"

    def ready(self) -> None:
        from portal.core.sections import register

        from .section import DIRECTORY

        register(DIRECTORY)
