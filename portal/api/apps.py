from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "portal.api"
    label = "api"
    verbose_name = "Public API"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from portal.members.tools import MemberTool, register

        register(
            MemberTool(
                key="api-tokens",
                label="API tokens",
                url_name="members:api_tokens",
                description="Post and manage your listings from your own software.",
                order=50,
            )
        )
