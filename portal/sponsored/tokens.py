"""Signed ids of sponsored items for the counters' URLs: ``s12.<signature>`` for a
sponsorship, ``h3.<signature>`` for a house ad. A changed or made-up id does not verify."""

from django.core import signing

SALT = "portal.sponsored.counter"
KINDS = ("s", "h")
_signer = signing.Signer(salt=SALT, sep=".")


def sign(kind: str, pk: int) -> str:
    return _signer.sign(f"{kind}{pk}")


def unsign(token: str) -> tuple[str, int] | None:
    """``(kind, pk)`` of a valid token, else None."""
    try:
        value = _signer.unsign(token)
    except signing.BadSignature:
        return None
    kind, number = value[:1], value[1:]
    if kind not in KINDS or not number.isdigit():
        return None
    return kind, int(number)
