from django.apps import AppConfig


class LeadsConfig(AppConfig):
    name = "portal.leads"
    label = "leads"
    verbose_name = "Leads"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from portal.board.relay import register_pending
        from portal.core.sections import register_page_state
        from portal.members.tools import MemberTool, register

        from .relay import relay_pending
        from .state import RESPONSE_STATE

        register(
            MemberTool(
                key="inquiries",
                label="Inquiries",
                url_name="members:inquiries",
                description="Every inquiry and enquiry your company received: status, private "
                "notes, replies, CSV.",
                order=10,
            )
        )
        register_page_state(RESPONSE_STATE)
        register_pending(relay_pending)
