from django.apps import AppConfig


class TransfersConfig(AppConfig):
    name = "portal.transfers"
    label = "transfers"
    verbose_name = "Imports and exports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from portal.members.tools import MemberTool, register

        register(
            MemberTool(
                key="transfers",
                label="Import and export",
                url_name="members:transfers",
                description="Upload many listings at once from a CSV or Excel file; download "
                "your listings, inquiries and quotes.",
                order=50,
            )
        )
