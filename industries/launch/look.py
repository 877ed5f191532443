"""The portal's settings (theme, palette, units, currencies, listing rules) and its default
logo."""

import re

from wagtail.models import Site

from portal.core.artwork import ensure_image, logo
from portal.core.models import PortalSettings

from ..schema import Industry
from .report import LaunchReport, assign


def apply_settings(industry: Industry, site: Site, report: LaunchReport) -> PortalSettings:
    settings = PortalSettings.for_site(site)
    palette = industry.palette
    changed = assign(
        settings,
        theme=industry.theme,
        tagline=industry.tagline,
        colour_primary=palette.primary,
        colour_accent=palette.accent,
        colour_background=palette.background,
        colour_text=palette.text,
        units=[u.model_dump() for u in industry.units],
        currencies=list(industry.currencies),
        sell_offer_days=industry.expiry.sell_offer_days,
        buy_request_days=industry.expiry.buy_request_days,
        quote_cap=industry.quote_cap,
    )
    if changed:
        settings.save()
        report.note("settings: " + ", ".join(changed))
    return settings


def initials(name: str) -> str:
    """``SteelHub — Steel`` → ``SH``; ``Agri Food`` → ``AF``; letters and digits only."""
    words = re.findall(r"[A-Za-z0-9][A-Za-z0-9']*", name)
    if not words:
        return "?"
    capitals = re.findall(r"[A-Z0-9]", words[0])
    if len(capitals) >= 2:
        return "".join(capitals[:2])
    return "".join(word[0] for word in words[:2]).upper()


def add_default_logo(industry: Industry, settings: PortalSettings, report: LaunchReport) -> None:
    """Give a portal without a logo one made of its initials in its palette."""
    if settings.logo_id is not None:
        return
    palette = industry.palette
    settings.logo = ensure_image(
        f"{industry.name} logo",
        logo(initials(industry.name), palette.primary, palette.accent),
        settings.collection,
    )
    settings.save(update_fields=["logo"])
    report.note("default logo")
