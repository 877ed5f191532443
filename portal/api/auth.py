"""Bearer tokens for writing: a token is good on its own member's portal only."""

from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer

from portal.core.context import portal_site
from portal.members.models import Membership

from .tokens import find


class MemberToken(HttpBearer):
    """``Authorization: Bearer <token>``: the token's membership, on the portal it belongs to.

    A session cookie is no credential here, so a browser cannot be made to write."""

    def authenticate(self, request: HttpRequest, token: str) -> Membership | None:
        record = find(token)
        if record is None:
            return None
        site = portal_site(request)
        membership = record.membership
        if site is None or membership.site_id != site.pk:
            raise HttpError(403, "This token belongs to another portal.")
        membership.site = site  # with its home page, as the request knows it
        return membership
