from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "portal.catalogue"
    label = "catalogue"
    verbose_name = "Product catalogues"
    default_auto_field = "django.db.models.BigAutoField"
