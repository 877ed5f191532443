from django.apps import AppConfig


class IndustriesConfig(AppConfig):
    name = "industries"
    verbose_name = "Industry definitions"
