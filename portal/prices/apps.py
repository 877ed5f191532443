from django.apps import AppConfig


class PricesConfig(AppConfig):
    name = "portal.prices"
    label = "prices"
    verbose_name = "Prices"

    def ready(self) -> None:
        from portal.core.sections import register

        from .section import PRICES

        register(PRICES)
