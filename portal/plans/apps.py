from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "portal.plans"
    label = "plans"
    verbose_name = "Membership plans"
    default_auto_field = "django.db.models.BigAutoField"
