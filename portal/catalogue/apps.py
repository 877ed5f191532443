from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "portal.catalogue"
    label = "catalogue"
    verbose_name = "Product catalogues"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from portal.core.sections import register
        from portal.members.tools import MemberTool
        from portal.members.tools import register as register_tool
        from portal.plans.quotas import register_usage

        from .lifecycle import QUOTA, catalogue_size
        from .section import CATALOGUE

        register(CATALOGUE)
        register_usage(QUOTA, catalogue_size)
        register_tool(
            MemberTool(
                key="catalogue",
                label="Product catalogue",
                url_name="members:products",
                description="The products on your company page: add, edit, import and export them.",
                order=40,
                needs_section=CATALOGUE.index_model,
            )
        )
