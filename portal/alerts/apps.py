from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "portal.alerts"
    label = "alerts"
    verbose_name = "Alerts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from portal.members.tools import MemberTool, register

        register(
            MemberTool(
                key="alerts",
                label="Saved searches and alerts",
                url_name="members:saved_alerts",
                description="New listings, companies, categories and prices you follow.",
                order=10,
            )
        )
