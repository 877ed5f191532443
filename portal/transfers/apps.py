from django.apps import AppConfig


class TransfersConfig(AppConfig):
    name = "portal.transfers"
    label = "transfers"
    verbose_name = "Imports and exports"
    default_auto_field = "django.db.models.BigAutoField"
