"""Create or update a whole portal from an :class:`Industry`, idempotently.

Running it twice changes nothing the second time: every step looks up what it made before
(by the industry slug, or through the portal's settings) and only writes what differs.
Everything happens in one transaction, so a failure leaves the database as it was.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.html import escape
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
from .schema import Industry, Section, SectionKind, normalise_hostname

SECTION_MODELS = {
    SectionKind.NEWS: "news.NewsIndexPage",
    SectionKind.BOARD: "board.BoardIndexPage",
    SectionKind.FRANCHISES: "opportunities.FranchiseIndexPage",
    SectionKind.INVESTMENT: "opportunities.InvestmentIndexPage",
    SectionKind.DIRECTORY: "directory.DirectoryIndexPage",
}
# Granted on each section page (not the home page): editors and moderators manage content,
# the portal's structure comes from its industry file. Without bulk_delete nobody but a
# superuser can delete a section.
EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "lock_page"]
MODERATOR_PAGE_PERMISSIONS = [*EDITOR_PAGE_PERMISSIONS, "publish_page", "unlock_page"]
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
    warnings: list[str] = field(default_factory=list)

    def note(self, message: str) -> None:
        self.changes.append(message)

    def warn(self, message: str) -> None:
        self.warnings.append(message)


def parse_hostname(value: str) -> tuple[str, int]:
    """``steel.example.org:8000`` → ``("steel.example.org", 8000)``; port 80 by default."""
    try:
        host, _, port = normalise_hostname(value).partition(":")
    except ValueError as error:
        raise IndustryError(f"hostname: {error}") from None
    return host, int(port) if port else 80


def launch(
    industry: Industry, hostname: str | None = None, progress: Progress | None = None
) -> LaunchReport:
    say = progress or (lambda _message: None)
    host, port = parse_hostname(hostname or industry.hostname)
    with transaction.atomic():
        say("site and home page")
        home, created = _home_page(industry)
        site = Site.objects.filter(root_page=home).first() or Site(root_page=home)
        report = LaunchReport(site=site, home=home, created=created)
        if not created:
            _update_page(home, _home_values(industry), report)
        _site(industry, site, host, port, report)
        if created:
            report.note(f"created portal {industry.name} at {site.root_url}/")
        say("taxonomy")
        _taxonomy(industry, site, report)
        say("sections")
        sections = _sections(industry, home, report)
        say("groups, permissions and media collection")
        settings = _settings(industry, site, report)
        _access(industry, sections, settings, report)
        _default_logo(industry, settings, report)
        say("moderation workflow")
        _workflow(industry, home, settings, report)
    return report


def _home_values(industry: Industry) -> dict[str, str]:
    text = industry.description
    return {
        "title": industry.name,
        "seo_title": industry.name,
        "intro": f"<p>{escape(text)}</p>" if text else "",
        "search_description": industry.tagline,
    }


def _home_page(industry: Industry) -> tuple[PortalHomePage, bool]:
    home = PortalHomePage.objects.filter(industry_slug=industry.slug).first()
    if home is not None:
        return home, False
    root = Page.get_first_root_node()
    if root.get_children().filter(slug=industry.slug).exists():
        raise IndustryError(
            f"a top-level page with slug {industry.slug!r} exists and is not this portal's home"
        )
    home = PortalHomePage(slug=industry.slug, industry_slug=industry.slug, **_home_values(industry))
    root.add_child(instance=home)
    home.save_revision().publish()
    return home, True


def _assign(obj: object, **values: object) -> list[str]:
    """Set attributes that differ; return the names that changed."""
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    return changed


def _update_page(
    page: Page, values: dict[str, object], report: LaunchReport, republish: bool = False
) -> None:
    """Publish the file's values on ``page``, unless an editor has work in progress on it.

    ``republish`` brings back a page that was unpublished (a section back in the file).
    """
    title = page.title
    changed = _assign(page, **values)
    if not changed and not republish:
        return
    if page.workflow_in_progress or (page.has_unpublished_changes and not republish):
        report.warn(
            f"{title}: not updated ({', '.join(changed)}) because it has unpublished "
            "changes; publish or discard them in the admin and launch again"
        )
        return
    page.save_revision().publish()
    report.note(f"{page.title}: {', '.join(changed) or 'published again'}")


def _site(industry: Industry, site: Site, host: str, port: int, report: LaunchReport) -> None:
    clash = Site.objects.filter(hostname=host, port=port).exclude(pk=site.pk).first()
    if clash:
        raise IndustryError(
            f"hostname: {host}:{port} is already used by the site {clash.site_name!r}; "
            "choose another with --hostname"
        )
    changed = _assign(site, hostname=host, port=port, site_name=industry.name)
    if changed or site.pk is None:
        site.save()
        if changed and not report.created:
            report.note(f"site: {', '.join(changed)} → {site.root_url}/")


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


def _sections(industry: Industry, home: PortalHomePage, report: LaunchReport) -> list[Page]:
    from django.apps import apps

    children = {type(p): p for p in home.get_children().specific()}
    wanted = []
    for section in industry.sections:
        model = apps.get_model(SECTION_MODELS[section.kind])
        page = children.pop(model, None)
        if page is None:
            page = model(slug=section.url_slug, **_section_values(section))
            home.add_child(instance=page)
            page.save_revision().publish()
            report.note(f"section {section.display_title}")
        else:
            _update_page(page, _section_values(section), report, republish=not page.live)
        wanted.append(page)
    for page in children.values():
        if page.live:
            page.unpublish()
            report.note(f"unpublished section {page.title} (no longer in the industry file)")
    return wanted


def _section_values(section: Section) -> dict[str, object]:
    return {"title": section.display_title, "intro": section.intro, "show_in_menus": True}


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


def _owned(
    current,
    model,
    name: str,
    settings: PortalSettings,
    field_name: str,
    create,
    report: LaunchReport,
):
    """What the portal made before (renamed to ``name``), else a new one.

    Never adopts an object of that name that another portal owns: two portals sharing a group
    or collection would let one portal's editors into the other.
    """
    if current is None:
        taken = model.objects.filter(name=name).first()
        if taken is not None:
            owner = (
                PortalSettings.objects.filter(**{field_name: taken})
                .exclude(pk=settings.pk)
                .select_related("site")
                .first()
            )
            if owner is not None:
                raise IndustryError(
                    f"name: {name!r} is already used by the portal {owner.site.site_name!r}; "
                    "each portal needs a name of its own"
                )
        current = taken or create()
    if current.name != name:
        report.note(f"renamed {current.name!r} to {name!r}")
        current.name = name
        current.save()
    return current


def _access(
    industry: Industry, sections: list[Page], settings: PortalSettings, report: LaunchReport
) -> None:
    name = industry.name
    root_collection = Collection.get_first_root_node()
    collection = _owned(
        settings.collection,
        Collection,
        name,
        settings,
        "collection",
        lambda: root_collection.add_child(name=name),
        report,
    )
    editors = _owned(
        settings.editors_group,
        Group,
        f"{name} editors",
        settings,
        "editors_group",
        lambda: Group.objects.create(name=f"{name} editors"),
        report,
    )
    moderators = _owned(
        settings.moderators_group,
        Group,
        f"{name} moderators",
        settings,
        "moderators_group",
        lambda: Group.objects.create(name=f"{name} moderators"),
        report,
    )
    if _assign(settings, collection=collection, editors_group=editors, moderators_group=moderators):
        settings.save()
        report.note("editor and moderator groups, media collection")

    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    view_inquiries = Permission.objects.get(
        content_type__app_label="board", codename="view_inquiry"
    )
    if not moderators.permissions.filter(pk=view_inquiries.pk).exists():
        moderators.permissions.add(view_inquiries)  # the admin shows them their portal's only
        report.note(f"{moderators.name}: may read inquiries")
    page_type = ContentType.objects.get_for_model(Page)
    for group, page_codenames, media_actions in (
        (editors, EDITOR_PAGE_PERMISSIONS, EDITOR_MEDIA_ACTIONS),
        (moderators, MODERATOR_PAGE_PERMISSIONS, MODERATOR_MEDIA_ACTIONS),
    ):
        group.permissions.add(access_admin)
        permission_ids = list(
            Permission.objects.filter(
                content_type=page_type, codename__in=page_codenames
            ).values_list("pk", flat=True)
        )
        wanted_pages = {(section.pk, pk) for section in sections for pk in permission_ids}
        granted = set(
            GroupPagePermission.objects.filter(group=group).values_list("page_id", "permission_id")
        )
        for page_id, permission_id in wanted_pages - granted:
            GroupPagePermission.objects.create(
                group=group, page_id=page_id, permission_id=permission_id
            )
        stale = granted - wanted_pages
        for page_id, permission_id in stale:
            GroupPagePermission.objects.filter(
                group=group, page_id=page_id, permission_id=permission_id
            ).delete()
        if wanted_pages - granted or stale:
            report.note(f"{group.name}: page permissions")
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
    if link is None:
        workflow = Workflow.objects.create(name=name, active=True)
        WorkflowPage.objects.create(page=home, workflow=workflow)
        report.note(f"workflow {name}")
    else:
        workflow = link.workflow
        changed = _assign(workflow, name=name, active=True)
        if changed:
            workflow.save()
            report.note(f"workflow: {', '.join(changed)}")
    task_name = f"{industry.name}: moderator approval"
    link = WorkflowTask.objects.filter(workflow=workflow).select_related("task").first()
    if link is None:
        task = GroupApprovalTask.objects.create(name=task_name)
        task.groups.set([settings.moderators_group])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
        report.note("moderator approval task")
    elif link.task.name != task_name:
        link.task.name = task_name
        link.task.save(update_fields=["name"])
        report.note("moderator approval task renamed")
