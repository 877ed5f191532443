"""Many listings submitted at once (``lifecycle.submit_listings``) end up as they would
submitted one by one: the same drafts, revisions, moderation, log, indexes and emails, and
moderators approve or reject them as any other."""

import re
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import transaction
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision, WorkflowState
from wagtail.search.models import IndexEntry

from portal.board import lifecycle
from portal.board.models import BoardIndexPage, BuyRequestPage, SellOfferPage, TradeListingPage
from portal.core.models import Category, PortalSettings, Region

from ..conftest import host
from ..support import without_quotas
from ..test_board import act

pytestmark = pytest.mark.django_db

# What differs between two runs however alike: row ids and random keys.
VOLATILE = {"id", "page_ptr_id", "tradelistingpage_ptr_id", "translation_key", "pk"}


@pytest.fixture
def member(steel, make_member):
    """A member whose plan takes batches of any size."""
    membership = make_member(steel, "bulk-lister")
    without_quotas(membership)
    return membership


@pytest.fixture
def moderator(steel, site_of):
    """A moderator of the steel portal, with an email address for Wagtail's notices."""
    user = get_user_model().objects.create_user("bulk-mod", "bulk-mod@steel.test", "pw")
    user.groups.add(PortalSettings.for_site(site_of(steel)).moderators_group)
    return user


@pytest.fixture
def board(steel) -> BoardIndexPage:
    return BoardIndexPage.objects.child_of(steel).get()


def new_listings(board: BoardIndexPage, count: int) -> list[TradeListingPage]:
    """Unsaved offers and requests as the posting forms make them; the first is titled as
    the slug of a listing already on the board, so its own slug needs a suffix."""
    site = board.get_site()
    categories = list(Category.objects.for_site(site).filter(parent__isnull=False)[:3])
    regions = list(Region.objects.filter(site=site)[:2])
    slugs = TradeListingPage.objects.child_of(board).values_list("slug", flat=True)
    taken = next(slug for slug in slugs if len(slug) < 60).replace("-", " ")
    pages = []
    for n in range(count):
        model = SellOfferPage if n % 2 == 0 else BuyRequestPage
        extra = {"price_min": Decimal("610"), "currency": "USD"} if model is SellOfferPage else {}
        pages.append(
            model(
                title=taken if n == 0 else f"Bulk listing {n}",
                kind=model.listing_kind,
                category=categories[n % len(categories)],
                region=regions[n % len(regions)],
                description=f"Lot {n}, from our yard.",
                quantity=Decimal(100 + n),
                unit="t",
                **extra,
            )
        )
    return pages


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in values.items() if name not in VOLATILE}


def state_of(pages: list[TradeListingPage]) -> list[dict[str, Any]]:
    """What the database holds of each submitted listing, without its row ids."""
    result = []
    base = ContentType.objects.get_for_model(Page)
    for listed in pages:
        page = TradeListingPage.objects.get(pk=listed.pk).specific
        fields = {f.attname: getattr(page, f.attname) for f in type(page)._meta.concrete_fields}
        revisions = list(Revision.objects.filter(object_id=str(page.pk), base_content_type=base))
        revision = revisions[-1]
        workflow = WorkflowState.objects.get(base_content_type=base, object_id=str(page.pk))
        task = workflow.current_task_state
        logs = PageLogEntry.objects.filter(page=page).order_by("timestamp", "id")
        timestamps = ("latest_revision_created_at", "latest_revision_id")
        result.append(
            {
                "page": _plain({k: v for k, v in fields.items() if k not in timestamps}),
                "latest revision": (page.latest_revision_id, page.latest_revision_created_at)
                == (revision.pk, revision.created_at),
                "revisions": [
                    (r.content_type_id, r.user_id, r.object_str, _plain(r.content))
                    for r in revisions
                ],
                "workflow": (
                    workflow.workflow_id,
                    workflow.status,
                    workflow.requested_by_id,
                    workflow.content_type_id,
                ),
                "task": (
                    task.task_id,
                    task.status,
                    task.content_type_id,
                    task.revision_id == revision.pk,
                    task.finished_at,
                ),
                "log": [
                    (
                        e.action,
                        e.user_id,
                        e.label,
                        e.content_changed,
                        e.content_type_id,
                        e.uuid,
                        e.revision_id and e.revision_id == revision.pk,
                        {**e.data, "workflow": {**e.data["workflow"], "task_state_id": "-"}}
                        if e.data
                        else {},
                        e.data and e.data["workflow"]["task_state_id"] == task.pk,
                    )
                    for e in logs
                ],
                "search": list(
                    IndexEntry.objects.filter(object_id=str(page.pk)).values_list(
                        "content_type_id", "title", "autocomplete", "body"
                    )
                ),
                "references": set(
                    ReferenceIndex.objects.filter(
                        object_id=str(page.pk), base_content_type=base
                    ).values_list(
                        "content_type_id",
                        "to_content_type_id",
                        "to_object_id",
                        "model_path",
                        "content_path",
                        "content_path_hash",
                    )
                ),
            }
        )
    return result


def submitted(submit, board: BoardIndexPage, count: int) -> tuple[list, list, int]:
    """The state ``submit`` leaves, the emails it sends and the board's child count, all
    undone afterwards so that the next run starts from the same database."""
    mail.outbox.clear()
    with transaction.atomic():
        pages = submit(new_listings(board, count))
        state = state_of(pages)
        numchild = BoardIndexPage.objects.get(pk=board.pk).numchild
        transaction.set_rollback(True)
    # Links name rows by id, which PostgreSQL does not give again after the rollback.
    emails = sorted((m.to[0], m.subject, re.sub(r"/\d+/", "/<id>/", m.body)) for m in mail.outbox)
    return state, emails, numchild


def test_a_batch_leaves_what_listing_by_listing_leaves(board, member, moderator):
    one_by_one, emails_one_by_one, children_one_by_one = submitted(
        lambda pages: [lifecycle.submit_listing(p, board, member) for p in pages], board, 4
    )
    batch, emails_batch, children_batch = submitted(
        lambda pages: lifecycle.submit_listings(pages, board, member), board, 4
    )
    assert batch == one_by_one
    assert children_batch == children_one_by_one
    assert emails_batch == emails_one_by_one and len(emails_batch) == 4
    first = batch[0]
    assert first["page"]["slug"].endswith("-2") and not first["page"]["live"]
    assert first["page"]["has_unpublished_changes"] and first["latest revision"]
    assert [entry[0] for entry in first["log"]] == [
        "wagtail.create",
        "wagtail.edit",
        "wagtail.workflow.start",
    ]
    assert first["workflow"][1] == WorkflowState.STATUS_IN_PROGRESS and first["search"]


def test_moderators_approve_and_reject_a_batch_as_any_listing(client, board, member, moderator):
    offer, request = lifecycle.submit_listings(new_listings(board, 3)[1:], board, member)
    client.force_login(moderator)
    assert act(client, offer, "approve").status_code == 302
    act(client, request, "reject", comment="Say which grade, please.")
    offer.refresh_from_db()
    assert offer.live
    assert offer.title in client.get(board.url, HTTP_HOST=host("steel")).content.decode()
    status = lifecycle.statuses([offer, request])
    assert status[offer.pk].code == lifecycle.LIVE
    assert status[request.pk].code == lifecycle.REJECTED
    client.force_login(member.user)
    dashboard = client.get("/members/", HTTP_HOST=host("steel")).content.decode()
    assert "Say which grade, please." in dashboard


@pytest.mark.parametrize("count", [5, 100])
def test_a_batch_costs_the_same_queries_however_many_listings(
    board, member, count, django_assert_max_num_queries
):
    """A few queries per table and batch (and the plan's quota, claimed once), not per
    listing (SQLite splits the widest inserts into statements of 999 values, hence a margin)."""
    pages = new_listings(board, count)
    with django_assert_max_num_queries(50):
        lifecycle.submit_listings(pages, board, member)
    assert TradeListingPage.objects.child_of(board).filter(title="Bulk listing 1").exists()


def test_without_moderation_a_batch_is_published(steel, board, member, settings):
    settings.WAGTAIL_WORKFLOW_ENABLED = False
    pages = lifecycle.submit_listings(new_listings(board, 2), board, member)
    for page in pages:
        page.refresh_from_db()
        assert page.live and page.current_workflow_state is None


def test_an_import_sized_batch_sends_each_moderator_one_digest(
    board, member, moderator, django_capture_on_commit_callbacks
):
    pages = new_listings(board, lifecycle.DIGEST_ABOVE + 2)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.submit_listings(pages, board, member)
    to_moderator = [m for m in mail.outbox if moderator.email in m.to]
    assert len(to_moderator) == 1
    (digest,) = to_moderator
    assert digest.to == [moderator.email]  # moderators do not see each other's addresses
    assert f"{len(pages)} listings to moderate" in digest.subject
    assert all(page.title in digest.body for page in pages)
    assert "/admin/" in digest.body
