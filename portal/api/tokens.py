"""Making, checking and revoking member API tokens. A token is shown once; only its SHA-256
digest is stored (tokens are long and random, so a fast digest is enough)."""

import hashlib
import secrets
from datetime import timedelta

from django.http import HttpRequest
from django.utils import timezone

from portal.members.models import Membership

from .models import ApiToken

PREFIX = "gh_"
TOUCH_EVERY = timedelta(minutes=5)  # how often "last used" is written


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(membership: Membership, name: str) -> tuple[ApiToken, str]:
    """A new token of ``membership``: the stored record and the token itself (shown once)."""
    token = PREFIX + secrets.token_urlsafe(32)
    record = ApiToken.objects.create(
        membership=membership, name=name, prefix=token[: len(PREFIX) + 6], digest=digest(token)
    )
    return record, token


def revoke(membership: Membership, pk: int) -> bool:
    """Revoke one of ``membership``'s tokens; False when it has no such active token."""
    updated = ApiToken.objects.active().filter(membership=membership, pk=pk)
    return bool(updated.update(revoked_at=timezone.now()))


def bearer(request: HttpRequest) -> str:
    """The bearer token a request carries, or ''."""
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def find(token: str) -> ApiToken | None:
    """The active token ``token`` is, with its membership, user and site; None if unknown."""
    if not token.startswith(PREFIX) or len(token) > 100:
        return None
    record = (
        ApiToken.objects.active()
        .select_related("membership__user", "membership__company", "membership__site")
        .filter(digest=digest(token))
        .first()
    )
    if record is not None and (
        record.last_used_at is None or timezone.now() - record.last_used_at > TOUCH_EVERY
    ):
        record.last_used_at = timezone.now()
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=record.last_used_at)
    return record
