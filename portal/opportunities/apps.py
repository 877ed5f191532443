from django.apps import AppConfig


class OpportunitiesConfig(AppConfig):
    name = "portal.opportunities"
    label = "opportunities"
    verbose_name = "Franchises and investment"
