"""The portal's home page and its Wagtail site (hostname, port, name)."""

from django.utils.html import escape
from wagtail.models import Page, Site

from portal.core.models import PortalHomePage

from ..loader import IndustryError
from ..schema import Industry, normalise_hostname
from .report import LaunchReport, assign


def parse_hostname(value: str) -> tuple[str, int]:
    """``steel.example.org:8000`` → ``("steel.example.org", 8000)``; port 80 by default."""
    try:
        host, _, port = normalise_hostname(value).partition(":")
    except ValueError as error:
        raise IndustryError(f"hostname: {error}") from None
    return host, int(port) if port else 80


def home_values(industry: Industry) -> dict[str, str]:
    text = industry.description
    return {
        "title": industry.name,
        "seo_title": industry.name,
        "intro": f"<p>{escape(text)}</p>" if text else "",
        "search_description": industry.tagline,
    }


def ensure_home_page(industry: Industry) -> tuple[PortalHomePage, bool]:
    home = PortalHomePage.objects.filter(industry_slug=industry.slug).first()
    if home is not None:
        return home, False
    root = Page.get_first_root_node()
    if root.get_children().filter(slug=industry.slug).exists():
        raise IndustryError(
            f"a top-level page with slug {industry.slug!r} exists and is not this portal's home"
        )
    home = PortalHomePage(slug=industry.slug, industry_slug=industry.slug, **home_values(industry))
    root.add_child(instance=home)
    home.save_revision().publish()
    return home, True


def configure_site(
    industry: Industry, site: Site, host: str, port: int, report: LaunchReport
) -> None:
    clash = Site.objects.filter(hostname=host, port=port).exclude(pk=site.pk).first()
    if clash:
        raise IndustryError(
            f"hostname: {host}:{port} is already used by the site {clash.site_name!r}; "
            "choose another with --hostname"
        )
    changed = assign(site, hostname=host, port=port, site_name=industry.name)
    if changed or site.pk is None:
        site.save()
        if changed and not report.created:
            report.note(f"site: {', '.join(changed)} → {site.root_url}/")
