"""Create or update a whole portal from an :class:`Industry`, idempotently.

Running it twice changes nothing the second time: every step looks up what it made before
(by the industry slug, or through the portal's settings) and only writes what differs.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from portal.core.artwork import ensure_image, logo
from portal.core.models import Category, PortalHomePage, PortalSettings, Region

from .loader import IndustryError
from .schema import Industry, Section, SectionKind

SECTION_MODELS = {
    SectionKind.NEWS: "news.NewsIndexPage",
    SectionKind.BOARD: "board.BoardIndexPage",
    SectionKind.FRANCHISES: "opportunities.FranchiseIndexPage",
    SectionKind.INVESTMENT: "opportunities.InvestmentIndexPage",
    SectionKind.DIRECTORY: "directory.DirectoryIndexPage",
}
EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "lock_page"]
MODERATOR_PAGE_PERMISSIONS = [
    *EDITOR_PAGE_PERMISSIONS,
    "publish_page",
    "unlock_page",
    "bulk_delete_page",
]
MEDIA_MODELS = ["wagtailimages.image", "wagtaildocs.document"]
EDITOR_MEDIA_ACTIONS = ["add", "change", "choose"]
MODERATOR_MEDIA_ACTIONS = [*EDITOR_MEDIA_ACTIONS, "delete"]

Progress = Callable[[str], None]


@dataclass
class LaunchReport:
    """What a launch did; ``changes`` is empty when the portal was already up to date."""

    site: Site
    home: PortalHomePage
    created: bool
    changes: list[str] = field(default_factory=list)

    def note(self, message: str) -> None:
        self.changes.append(message)


def parse_hostname(value: str) -> tuple[str, int]:
    host, _, port = value.partition(":")
    return host, int(port) if port else 80


def launch(
    industry: Industry, hostname: str | None = None, progress: Progress | None = None
) -> LaunchReport:
    say = progress or (lambda _message: None)
    host, port = parse_hostname(hostname or industry.hostname)
    with transaction.atomic():
        say("site and home page")
        home, created = _home_page(industry)
        site = _site(industry, home, host, port)
        report = LaunchReport(site=site, home=home, created=created)
        if created:
            report.note(f"created portal {industry.name} at {site.root_url}/")
        say("taxonomy")
        _taxonomy(industry, site, report)
        say("sections")
        _sections(industry, home, report)
        say("groups, permissions and media collection")
        settings = _settings(industry, site, report)
        _access(industry, home, settings, report)
        _default_logo(industry, settings, report)
        say("moderation workflow")
        _workflow(industry, home, settings, report)
    return report


def _publish(page: Page) -> None:
    page.save_revision().publish()


def _home_page(industry: Industry) -> tuple[PortalHomePage, bool]:
    home = PortalHomePage.objects.filter(industry_slug=industry.slug).first()
    if home is None:
        root = Page.get_first_root_node()
        slug = industry.slug
        if root.get_children().filter(slug=slug).exists():
            raise IndustryError(
                f"a top-level page with slug {slug!r} exists and is not this portal's home page"
            )
        home = PortalHomePage(
            title=industry.name,
            slug=slug,
            industry_slug=industry.slug,
            intro=_paragraph(industry.description),
            seo_title=industry.name,
            search_description=industry.tagline,
        )
        root.add_child(instance=home)
        _publish(home)
        return home, True
    changed = _assign(
        home,
        title=industry.name,
        intro=_paragraph(industry.description),
        search_description=industry.tagline,
    )
    if changed:
        _publish(home)
    return home, False


def _paragraph(text: str) -> str:
    from django.utils.html import escape

    return f"<p>{escape(text)}</p>" if text else ""


def _assign(obj: object, **values: object) -> list[str]:
    """Set attributes that differ; return the names that changed."""
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    return changed


def _site(industry: Industry, home: PortalHomePage, host: str, port: int) -> Site:
    clash = Site.objects.filter(hostname=host, port=port).exclude(root_page=home).first()
    if clash:
        raise IndustryError(
            f"hostname: {host}:{port} is already used by the site {clash.site_name!r}; "
            "choose another with --hostname"
        )
    site = Site.objects.filter(root_page=home).first() or Site(root_page=home)
    if _assign(site, hostname=host, port=port, site_name=industry.name) or site.pk is None:
        site.save()
    return site


def _taxonomy(industry: Industry, site: Site, report: LaunchReport) -> None:
    existing = {c.slug: c for c in Category.objects.filter(site=site)}
    keep: set[str] = set()
    order = 0
    for group in industry.taxonomy:
        parent = _category(site, group, None, order, existing, report)
        keep.add(parent.slug)
        for child in group.children:
            order += 1
            keep.add(_category(site, child, parent, order, existing, report).slug)
        order += 1
    for slug, category in existing.items():
        if slug not in keep and category.is_active:
            category.is_active = False
            category.save(update_fields=["is_active"])
            report.note(f"retired category {category.name}")

    regions = {r.code: r for r in Region.objects.filter(site=site)}
    for order, spec in enumerate(industry.regions):
        region = regions.pop(spec.code, None) or Region(site=site, code=spec.code)
        if _assign(region, name=spec.name, sort_order=order, is_active=True) or region.pk is None:
            region.save()
            report.note(f"region {spec.name}")
    for region in regions.values():
        if region.is_active:
            region.is_active = False
            region.save(update_fields=["is_active"])
            report.note(f"retired region {region.name}")


def _category(site, spec, parent, order, existing, report) -> Category:
    category = existing.get(spec.key) or Category(site=site, slug=spec.key)
    price = spec.price
    changed = _assign(
        category,
        name=spec.name,
        parent=parent,
        description=spec.description,
        specs=list(spec.specs),
        price_min=Decimal(str(price.min)).quantize(Decimal("0.01")) if price else None,
        price_max=Decimal(str(price.max)).quantize(Decimal("0.01")) if price else None,
        price_unit=price.unit if price else "",
        price_currency=price.currency if price else "",
        sort_order=order,
        is_active=True,
    )
    if changed or category.pk is None:
        category.save()
        report.note(f"category {spec.name}")
    return category


def _sections(industry: Industry, home: PortalHomePage, report: LaunchReport) -> None:
    from django.apps import apps

    children = {type(p): p for p in home.get_children().specific()}
    wanted = set()
    for section in industry.sections:
        model = apps.get_model(SECTION_MODELS[section.kind])
        wanted.add(model)
        page = children.get(model)
        if page is None:
            page = model(
                title=section.display_title,
                slug=section.url_slug,
                intro=section.intro,
                show_in_menus=True,
            )
            home.add_child(instance=page)
            _publish(page)
            report.note(f"section {section.display_title}")
        elif _section_changed(page, section):
            _publish(page)
            report.note(f"section {section.display_title}")
    for model, page in children.items():
        if model not in wanted and page.live:
            page.unpublish()
            report.note(f"unpublished section {page.title} (no longer in the industry file)")


def _section_changed(page: Page, section: Section) -> bool:
    return bool(
        _assign(page, title=section.display_title, intro=section.intro, show_in_menus=True)
        or not page.live
    )


def _settings(industry: Industry, site: Site, report: LaunchReport) -> PortalSettings:
    settings = PortalSettings.for_site(site)
    palette = industry.palette
    changed = _assign(
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


def _named(model, current, name: str, create):
    """Reuse what the settings point at (renaming it), else find by name, else create."""
    obj = current or model.objects.filter(name=name).first() or create()
    if obj.name != name:
        obj.name = name
        obj.save()
    return obj


def _access(
    industry: Industry, home: PortalHomePage, settings: PortalSettings, report: LaunchReport
) -> None:
    root_collection = Collection.get_first_root_node()
    collection = settings.collection
    if collection is None:
        collection = root_collection.get_children().filter(name=industry.name).first()
        if collection is None:
            collection = root_collection.add_child(name=industry.name)
            report.note(f"media collection {industry.name}")
    elif collection.name != industry.name:
        collection.name = industry.name
        collection.save()
    editors = _named(
        Group,
        settings.editors_group,
        f"{industry.name} editors",
        lambda: Group.objects.create(name=f"{industry.name} editors"),
    )
    moderators = _named(
        Group,
        settings.moderators_group,
        f"{industry.name} moderators",
        lambda: Group.objects.create(name=f"{industry.name} moderators"),
    )
    if _assign(settings, collection=collection, editors_group=editors, moderators_group=moderators):
        settings.save()
        report.note("editor and moderator groups")

    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    page_type = ContentType.objects.get_for_model(Page)
    for group, page_codenames, media_actions in (
        (editors, EDITOR_PAGE_PERMISSIONS, EDITOR_MEDIA_ACTIONS),
        (moderators, MODERATOR_PAGE_PERMISSIONS, MODERATOR_MEDIA_ACTIONS),
    ):
        group.permissions.add(access_admin)
        for codename in page_codenames:
            permission = Permission.objects.get(content_type=page_type, codename=codename)
            _, made = GroupPagePermission.objects.get_or_create(
                group=group, page=home, permission=permission
            )
            if made:
                report.note(f"{group.name}: {codename}")
        for label in MEDIA_MODELS:
            app_label, model = label.split(".")
            for action in media_actions:
                permission = Permission.objects.get(
                    content_type__app_label=app_label, codename=f"{action}_{model}"
                )
                _, made = GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=collection, permission=permission
                )
                if made:
                    report.note(f"{group.name}: {action} {model}")


def initials(name: str) -> str:
    """``SteelHub — Steel`` → ``SH``; ``Agri Food`` → ``AF``; letters and digits only."""
    words = re.findall(r"[A-Za-z0-9][A-Za-z0-9']*", name)
    if not words:
        return "?"
    capitals = re.findall(r"[A-Z0-9]", words[0])
    if len(capitals) >= 2:
        return "".join(capitals[:2])
    return "".join(word[0] for word in words[:2]).upper()


def _default_logo(industry: Industry, settings: PortalSettings, report: LaunchReport) -> None:
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


def _workflow(
    industry: Industry, home: PortalHomePage, settings: PortalSettings, report: LaunchReport
) -> None:
    name = f"{industry.name} moderation"
    link = WorkflowPage.objects.filter(page=home).select_related("workflow").first()
    workflow = link.workflow if link else Workflow.objects.filter(name=name).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=name, active=True)
        report.note(f"workflow {name}")
    elif _assign(workflow, name=name, active=True):
        workflow.save()
    if not WorkflowTask.objects.filter(workflow=workflow).exists():
        task = GroupApprovalTask.objects.create(name=f"{industry.name}: moderator approval")
        task.groups.set([settings.moderators_group])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
        report.note("moderator approval task")
    if link is None:
        WorkflowPage.objects.create(page=home, workflow=workflow)
