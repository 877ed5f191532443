"""A small extra section type, installed by the test settings only: it proves that a new
section type is a new app plus one registration (see tests/test_section_registry.py)."""

from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "tests.notices"
    label = "notices"
    verbose_name = "Notices"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from portal.core.sections import register

        from .section import NOTICES

        register(NOTICES)
