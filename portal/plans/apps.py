from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "portal.plans"
    label = "plans"
    verbose_name = "Membership plans"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from portal.core.sections import register_page_state
        from portal.members.tools import MemberTool, register

        from .shown import PLAN_STATE

        register(
            MemberTool(
                key="plan",
                label="Your plan",
                url_name="members:your_plan",
                description="Your membership plan, its renewal date and how much of each "
                "quota you use.",
                order=45,
            )
        )
        register_page_state(PLAN_STATE)
