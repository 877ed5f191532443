"""Everything that belongs to one portal, as records in the order they are restored.

A portal is its home page and the pages below it (with revisions, log entries, view
restrictions, workflow states), its ``Site``, its site settings, its taxonomy, its media
collection with the images and documents in it (and any other image or document its pages
use), its editors and moderators groups with their permissions, its moderation workflow and
its redirects, its membership plans with the companies' plan assignments, payments and reminders
sent, its sponsorships and house ads with their daily counts; with members, also the accounts
of its members and of its groups' people, their email addresses and admin profiles,
memberships, inquiries, franchise and investment enquiries, quotes, match alerts and buyers'
alerts with what they were sent.

Pages are recorded as Wagtail serializes them for revisions (``serializable_data()``: every
field of the page type, its child relations and many-to-many lists); everything else with
Django's ``python`` serializer. Objects the portal only refers to (content types, permissions,
locales, tags, and without members the people who own pages or wrote revisions) are recorded by
what identifies them, to be looked up, not copied, where the archive is restored.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.db import models
from django.db.models import F, Q
from taggit.models import Tag
from wagtail.contrib.redirects.models import Redirect
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.contrib.settings.registry import registry as settings_registry
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    GroupCollectionPermission,
    GroupPagePermission,
    GroupSitePermission,
    Locale,
    Page,
    PageLogEntry,
    PageViewRestriction,
    Revision,
    Site,
    Task,
    TaskState,
    Workflow,
    WorkflowPage,
    WorkflowState,
    WorkflowTask,
)
from wagtail.users.models import UserProfile

from portal.alerts.models import Alert, Delivery
from portal.board.models import Inquiry, MatchAlert, Quote
from portal.core.models import Category, PortalHomePage, PortalSettings, Region
from portal.directory.models import VerificationCheck, VerificationRequest
from portal.leads.models import Enquiry
from portal.members.models import MembersGroup, Membership
from portal.plans.models import Payment, PaymentTerms, Plan, Reminder, Subscription
from portal.prices.models import PricePoint
from portal.sponsored.models import DailyCount, HouseAd, Sponsorship
from portal.verification.models import Verifiers

from .archive import BackupError
from .references import base_label, walk

# Looked up where the archive is restored, never created there: {label: identifying fields}.
IDENTITIES = {
    "contenttypes.contenttype": ("app_label", "model"),
    "auth.permission": ("content_type", "codename"),
    "wagtailcore.locale": ("language_code",),
    "taggit.tag": ("name", "slug"),
}
USER_IDENTITY = ("username", "email")


@dataclass
class Table:
    model: type[models.Model]
    records: list[dict[str, Any]]  # {"pk": …, "fields": {…}} (and "parent" in a tree)

    def as_data(self) -> dict[str, Any]:
        return {"model": self.model._meta.label_lower, "records": self.records}


@dataclass
class Snapshot:
    home: PortalHomePage
    site: Site
    with_members: bool
    tables: list[Table]
    media: list[tuple[models.FileField, str]] = field(default_factory=list)  # (field, name)

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for table in self.tables:
            label = table.model._meta.label_lower
            counts[label] = counts.get(label, 0) + len(table.records)
        return counts


def find_portal(slug: str) -> PortalHomePage:
    home = PortalHomePage.objects.filter(industry_slug=slug).first()
    if home is None:
        known = ", ".join(
            PortalHomePage.objects.order_by("industry_slug").values_list("industry_slug", flat=True)
        )
        raise BackupError(f"no portal with slug {slug!r} (known: {known or 'none'})")
    return home


def records(queryset: Iterable[models.Model]) -> list[dict[str, Any]]:
    """Django's ``python`` serialization of ``queryset``, without the repeated model label."""
    return [
        {"pk": item["pk"], "fields": item["fields"]}
        for item in serializers.serialize("python", queryset)
    ]


def tables_of_specific(queryset: models.QuerySet) -> list[Table]:
    """Rows of a model with typed subclasses (tasks, task states): the base table, then each
    subclass's own table, as Django's serializer records multi-table models."""
    tables = [Table(queryset.model, records(queryset.order_by("pk")))]
    pks = [record["pk"] for record in tables[0].records]
    type_ids = set(queryset.values_list("content_type", flat=True))
    for model in sorted(
        (ContentType.objects.get_for_id(pk).model_class() for pk in type_ids),
        key=lambda m: m._meta.label_lower,
    ):
        for table_model in [*reversed(model._meta.get_parent_list()), model][1:]:
            rows = table_model._base_manager.filter(pk__in=pks).order_by("pk")
            tables.append(Table(table_model, records(rows)))
    return tables


def tree_records(
    nodes: models.QuerySet, top: models.Model, data: list[dict[str, Any]] | None = None
) -> list[dict[str, Any]]:
    """Records of treebeard nodes at or below ``top`` in path order, each naming its parent
    (None for ``top``)."""
    nodes = list(nodes.order_by("path"))
    pk_of_path = {top.path: top.pk} | {node.path: node.pk for node in nodes}
    root_path = top.path
    result = []
    for node, fields in zip(nodes, data or (r["fields"] for r in records(nodes)), strict=True):
        parent = None if node.path == root_path else pk_of_path[node.path[: -node.steplen]]
        result.append({"pk": node.pk, "parent": parent, "fields": fields})
    return result


def page_records(pages: models.QuerySet, home: Page) -> list[dict[str, Any]]:
    specific = list(pages.order_by("path").specific())
    data = []
    for page in specific:
        fields = page.serializable_data()
        fields.pop("pk", None)
        data.append(fields)
    return tree_records(pages, home, data)


class _References:
    """What the records refer to, by model label: gathered by walking them."""

    def __init__(self) -> None:
        self.keys: dict[str, set[Any]] = {}

    def __call__(self, label: str, key: Any) -> Any:
        if key is not None:
            self.keys.setdefault(label, set()).add(key)
        return key

    def of(self, model: type[models.Model]) -> set[Any]:
        return self.keys.get(base_label(model), set())

    def add(self, tables: Iterable[Table]) -> None:
        for table in tables:
            for record in table.records:
                fields = record["fields"]
                model = table.model
                if issubclass(model, Page):  # each page is walked as its own type
                    model = ContentType.objects.get_for_id(fields["content_type"]).model_class()
                walk(model, fields, self)
                if isinstance(content := fields.get("content"), dict):
                    content_type = fields.get("content_type")
                    if content_type:  # a revision: its content is the object's data
                        model = ContentType.objects.get_for_id(content_type).model_class()
                        walk(model, content, self)


def rows(queryset: models.QuerySet, *ordering: Any) -> Table:
    """A table of the rows of ``queryset``, in key order unless told otherwise."""
    return Table(queryset.model, records(queryset.order_by(*(ordering or ("pk",)))))


def without_evidence(table: Table, **cleared: Any) -> Table:
    """``table`` with the fields ``cleared`` set: evidence files and their collection never
    leave the install (the launcher makes a new evidence collection after a restore)."""
    for record in table.records:
        record["fields"].update(cleared)
    return table


def collect_portal(home: PortalHomePage, with_members: bool) -> Snapshot:
    site = Site.objects.filter(root_page=home).first()
    if site is None:
        raise BackupError(f"the portal {home.industry_slug!r} has no site")
    settings = PortalSettings.objects.filter(site=site).first()
    pages = Page.objects.descendant_of(home, inclusive=True)
    page_ids = list(pages.values_list("pk", flat=True))
    object_ids = [str(pk) for pk in page_ids]
    page_type = ContentType.objects.get_for_model(Page)
    top_collection = settings.collection if settings else None
    collections = (
        Collection.objects.descendant_of(top_collection, inclusive=True)
        if top_collection
        else Collection.objects.none()
    )
    workflows = Workflow.objects.filter(workflow_pages__page__in=page_ids).distinct()
    states = WorkflowState.objects.filter(base_content_type=page_type, object_id__in=object_ids)
    memberships = Membership.objects.filter(site=site)
    sponsorships = Sponsorship.objects.filter(site=site, page__in=page_ids)
    house_ads = HouseAd.objects.filter(site=site, section__in=page_ids)

    collection_table = Table(
        Collection, tree_records(collections, top_collection) if top_collection else []
    )
    owned = [
        Table(type(home), page_records(pages.filter(pk=home.pk), home)),
        Table(Site, records([site])),
        *(
            rows(model.objects.filter(site=site))
            for model in settings_registry
            if issubclass(model, BaseSiteSetting)
        ),
        rows(Category.objects.filter(site=site), F("parent_id").asc(nulls_first=True), "pk"),
        rows(Region.objects.filter(site=site)),
        Table(Page, page_records(pages.exclude(pk=home.pk), home)),
        rows(Revision.objects.filter(base_content_type=page_type, object_id__in=object_ids)),
        rows(GroupPagePermission.objects.filter(page__in=page_ids)),
        rows(GroupSitePermission.objects.filter(site=site)),
        rows(GroupCollectionPermission.objects.filter(collection__in=collections)),
        rows(PageViewRestriction.objects.filter(page__in=page_ids)),
        rows(CollectionViewRestriction.objects.filter(collection__in=collections)),
        rows(MembersGroup.objects.filter(site=site)),
        # Verification checks: the companies' public record and its history.
        rows(VerificationCheck.objects.filter(company__in=page_ids)),
        without_evidence(rows(Verifiers.objects.filter(site=site)), collection=None),
        # A series' points hold their corrections, which assess_prices cannot make again.
        rows(PricePoint.objects.filter(series__in=page_ids), "series", "period_end"),
        rows(workflows),
        *tables_of_specific(Task.objects.filter(workflow_tasks__workflow__in=workflows).distinct()),
        rows(WorkflowTask.objects.filter(workflow__in=workflows)),
        rows(WorkflowPage.objects.filter(page__in=page_ids), "page"),
        rows(states),
        *tables_of_specific(TaskState.objects.filter(workflow_state__in=states)),
        rows(PageLogEntry.objects.filter(page__in=page_ids)),
        rows(Redirect.objects.filter(Q(site=site) | Q(redirect_page__in=page_ids))),
        # Membership plans: the plans, what companies are on and paid, reminders sent.
        rows(Plan.objects.filter(site=site)),
        rows(PaymentTerms.objects.filter(site=site)),
        rows(Subscription.objects.filter(site=site, company__in=page_ids)),
        rows(Payment.objects.filter(site=site, company__in=page_ids)),
        rows(Reminder.objects.filter(subscription__site=site, subscription__company__in=page_ids)),
        # Sponsored placement and house ads, with their daily counts.
        rows(sponsorships),
        rows(house_ads),
        rows(
            DailyCount.objects.filter(Q(sponsorship__in=sponsorships) | Q(house_ad__in=house_ads))
        ),
    ]
    people: list[Table] = []
    if with_members:
        groups = [g for g in (settings.editors_group, settings.moderators_group) if g]
        users = (
            get_user_model()
            .objects.filter(Q(memberships__site=site) | Q(groups__in=groups))
            .distinct()
        )
        owned += [
            rows(EmailAddress.objects.filter(user__in=users)),
            rows(UserProfile.objects.filter(user__in=users)),
            rows(memberships),
            rows(Inquiry.objects.filter(site=site)),
            rows(Enquiry.objects.filter(site=site, page__in=page_ids)),
            without_evidence(rows(VerificationRequest.objects.filter(site=site)), evidence=[]),
            rows(Quote.objects.filter(request__in=page_ids, membership__in=memberships)),
            rows(MatchAlert.objects.filter(listing__in=page_ids, membership__in=memberships)),
            # Buyers' alerts (members' and email-only ones) and what each was sent.
            rows(Alert.objects.filter(site=site)),
            rows(Delivery.objects.filter(alert__site=site)),
        ]
        people = [rows(users)]

    found = _References()
    found.add([collection_table, *owned])
    media_tables = [
        rows(model.objects.filter(Q(collection__in=collections) | Q(pk__in=found.of(model))))
        for model in (get_image_model(), get_document_model())
    ]
    own_collections = {record["pk"] for record in collection_table.records}
    for table in media_tables:  # used by the portal, kept elsewhere: restored into its own
        for record in table.records:
            if top_collection and record["fields"]["collection"] not in own_collections:
                record["fields"]["collection"] = top_collection.pk
    portal_groups = set(found.of(Group))
    groups = rows(Group.objects.filter(pk__in=portal_groups))
    for table in people:  # only the portal's groups go with its people
        for record in table.records:
            record["fields"]["groups"] = [
                pk for pk in record["fields"]["groups"] if pk in portal_groups
            ]
    found.add([*media_tables, groups, *people])
    taken = {record["pk"] for table in people for record in table.records}
    users = get_user_model()
    people.append(
        Table(
            users,
            [
                {
                    "pk": user["pk"],
                    "fields": {name: user[name] for name in USER_IDENTITY},
                    "identity": True,
                }
                for user in users.objects.filter(pk__in=found.of(users) - taken)
                .order_by("pk")
                .values("pk", *USER_IDENTITY)
            ],
        )
    )
    identities = _identity_tables(found)
    tables = [*identities, groups, *people, collection_table, *media_tables, *owned]
    media = [
        (model_field, name)
        for table in media_tables
        for model_field in table.model._meta.fields
        if isinstance(model_field, models.FileField)
        for record in table.records
        if (name := record["fields"].get(model_field.name))
    ]
    return Snapshot(home=home, site=site, with_members=with_members, tables=tables, media=media)


def _identity_tables(found: _References) -> list[Table]:
    """Content types, permissions (and the content types they name), locales and tags, by
    what identifies them."""
    permissions = list(Permission.objects.filter(pk__in=found.of(Permission)).order_by("pk"))
    type_ids = found.of(ContentType) | {p.content_type_id for p in permissions}
    tables = []
    for model, found_rows in (
        (ContentType, ContentType.objects.filter(pk__in=type_ids)),
        (Permission, permissions),
        (Locale, Locale.objects.filter(pk__in=found.of(Locale))),
        (Tag, Tag.objects.filter(pk__in=found.of(Tag))),
    ):
        names = IDENTITIES[model._meta.label_lower]
        tables.append(
            Table(
                model,
                [
                    {"pk": record["pk"], "fields": {n: record["fields"][n] for n in names}}
                    for record in records(found_rows)
                ],
            )
        )
    return tables
