from django.apps import AppConfig


class VerificationConfig(AppConfig):
    name = "portal.verification"
    label = "verification"
    verbose_name = "Supplier verification"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from portal.core.changes import portal_changed
        from portal.members.tools import MemberTool, register

        from .search_sync import refresh_verified_documents

        register(
            MemberTool(
                key="verification",
                label="Verified supplier",
                url_name="members:verification",
                description="Ask for your company to be verified, send the evidence, follow the "
                "review.",
                order=40,
            )
        )
        portal_changed.connect(
            refresh_verified_documents, weak=False, dispatch_uid="verification-search"
        )
