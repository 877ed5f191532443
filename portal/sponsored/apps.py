from django.apps import AppConfig


class SponsoredConfig(AppConfig):
    name = "portal.sponsored"
    label = "sponsored"
    verbose_name = "Sponsored placement"
    default_auto_field = "django.db.models.BigAutoField"
