from django.apps import AppConfig


class OpportunitiesConfig(AppConfig):
    name = "portal.opportunities"
    label = "opportunities"
    verbose_name = "Franchises and investment"

    def ready(self) -> None:
        from portal.core.sections import register

        from .section import FRANCHISES, INVESTMENT

        register(FRANCHISES)
        register(INVESTMENT)
