from django.apps import AppConfig


class SyndicationConfig(AppConfig):
    name = "portal.syndication"
    label = "syndication"
    verbose_name = "Syndication"
