from django.apps import AppConfig


class ExportConfig(AppConfig):
    name = "portal.export"
    label = "export"
    verbose_name = "Static export"
