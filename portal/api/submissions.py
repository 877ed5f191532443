"""A listing sent with a token, validated by the board's own posting forms (so the rules are
the forms' rules), without the honeypot and fill time that tell people from bots: the token
stands for the member."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.forms.models import model_to_dict
from wagtail.models import Site

from portal.board.forms import LISTING_FORMS, ListingForm
from portal.board.models import TradeListingPage
from portal.core.models import Category, PortalSettings, Region
from portal.defences.forms import HumanCheckMixin

from .errors import BadParameter


class WithoutHumanCheck:
    """Skips ``HumanCheckMixin.clean`` (honeypot, start token) and keeps the rest."""

    def clean(self) -> dict:
        return super(HumanCheckMixin, self).clean()  # type: ignore[misc]


TOKEN_FORMS: dict[str, type[ListingForm]] = {
    kind: type(f"Token{form.__name__}", (WithoutHumanCheck, form), {})
    for kind, form in LISTING_FORMS.items()
}


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal | date):
        return str(value)
    return "" if value is None else value


def form_data(site: Site, fields: dict[str, Any], fallback: dict[str, Any]) -> dict[str, Any]:
    """What the form is sent: ``fallback`` (a draft's values) with ``fields`` over it, the
    category and region given by slug and code as the public filters name them."""
    data = {**fallback, **{k: v for k, v in fields.items() if v is not None}}
    if "category" in fields and fields["category"] is not None:
        data["category"] = _taxonomy_pk(Category, site, "slug", "category", fields["category"])
    if "region" in fields and fields["region"] is not None:
        data["region"] = _taxonomy_pk(Region, site, "code", "region", fields["region"])
    return {name: _plain(value) for name, value in data.items()}


def _taxonomy_pk(model: type, site: Site, field: str, name: str, value: str) -> int:
    found = model.objects.filter(site=site, **{field: value}) if value.isprintable() else None
    pk = found.values_list("pk", flat=True).first() if found is not None else None
    if pk is None:
        raise BadParameter(name, f"Unknown {name} {value!r} on this portal.")
    return pk


def draft_values(draft: TradeListingPage, kind: str) -> dict[str, Any]:
    """A listing's current values, as its form takes them."""
    return model_to_dict(draft, fields=TOKEN_FORMS[kind]._meta.fields)


def refuse_other_kind(kind: str, fields: dict[str, Any]) -> None:
    """A 400 for a field the form of ``kind`` has not (``moq`` on a buy request)."""
    allowed = set(TOKEN_FORMS[kind]._meta.fields)
    for name, value in fields.items():
        if value is not None and name not in allowed and name != "kind":
            raise BadParameter(name, f"{name!r} is not a field of this kind of listing.")


def validated(
    kind: str, data: dict[str, Any], portal: PortalSettings, instance: Any = None
) -> ListingForm:
    """The bound, valid form; a 400 naming the first field in error otherwise."""
    form = TOKEN_FORMS[kind](data, instance=instance, portal=portal)
    if not form.is_valid():
        errors = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
        name = next(iter(errors))
        error = BadParameter(name, errors[name][0])
        error.errors = errors  # type: ignore[attr-defined]
        raise error
    return form
