from django.apps import AppConfig


class SponsoredConfig(AppConfig):
    name = "portal.sponsored"
    label = "sponsored"
    verbose_name = "Sponsored placement"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from portal.core.sections import PageState, register_page_state
        from portal.plans import quotas

        from . import signals
        from .booking import QUOTA, featured_in_use
        from .state import shown_on_first_pages, shown_on_search

        register_page_state(
            PageState(
                key="sponsored",
                first_page_content=shown_on_first_pages,
                search_page=shown_on_search,
            )
        )
        quotas.register_usage(QUOTA, featured_in_use)
        signals.connect()
