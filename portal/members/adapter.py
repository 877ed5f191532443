"""allauth's adapter: emails named after the portal, and sign-up only where a portal is."""

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from wagtail.models import Site

from portal.core.context import portal_site
from portal.mail import portal_from_address


class MemberAccountAdapter(DefaultAccountAdapter):
    def _site(self) -> Site | None:
        return portal_site(self.request) if self.request else None

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Members join a portal, so the hub (which has no board) takes no sign-ups."""
        return portal_site(request) is not None

    def get_from_email(self) -> str:
        return portal_from_address(self._site())

    def format_email_subject(self, subject: str) -> str:
        site = self._site()
        return f"[{site.site_name}] {subject}" if site and site.site_name else subject


def user_display(user) -> str:
    """Members are known by their email address (usernames are generated)."""
    return user.email or user.get_username()
