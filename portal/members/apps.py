from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "portal.members"
    label = "members"
    verbose_name = "Members"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from allauth.account.signals import email_confirmed

        from . import groups
        from .onboarding import on_email_confirmed

        email_confirmed.connect(on_email_confirmed, dispatch_uid="members-email-confirmed")
        groups.connect()
