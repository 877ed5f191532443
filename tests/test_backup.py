"""Portal backups: ``export_portal`` then ``import_portal``, compared on both sides.

The demo portal is exported with work in progress added (a draft, an unpublished company, an
article whose body shows an image and links a listing, a document, a member with an inquiry and
a quote, a company on a paid plan with a payment, a sponsored listing and a house ad with their
counts, an enquiry about a franchise), restored where it is gone, beside other portals whose
rows hold its keys, and in its own place; then what visitors and editors see is compared.
"""

import hashlib
import io
import json
import re
import tarfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Collection, Page, Revision, Site, WorkflowPage

from portal.alerts.models import Alert
from portal.backup.removal import remove_portal
from portal.board.models import BoardIndexPage, BuyRequestPage, Inquiry, Quote, SellOfferPage
from portal.core.models import Category, PortalHomePage, PortalSettings, Region
from portal.defences.forms import duplicate_key
from portal.directory.models import CompanyPage
from portal.leads.models import Enquiry
from portal.members.models import Membership
from portal.news.models import NewsArticlePage
from portal.opportunities.models import FranchiseListingPage
from portal.plans.models import Payment, PaymentStatus, Plan, Reminder, Subscription
from portal.sponsored.models import DailyCount, HouseAd, Sponsorship
from search.models import SearchDocument

from .conftest import host

# --- the portal before: demo content plus what the demo does not make --------------------------


@pytest.fixture
def steel_at_work(steel, site_of, make_member):
    """Steel with drafts, history, media and members' activity."""
    site = site_of(steel)
    portal_settings = PortalSettings.for_site(site)
    member = make_member(steel, "alice")
    editor = get_user_model().objects.create_user("steel-ed", "ed@steel.test", "editor-pass-123")
    portal_settings.editors_group.user_set.add(editor)
    offer = SellOfferPage.objects.live().descendant_of(steel).order_by("path").first()
    offer.save_revision(user=member.user).publish()
    offer.title = f"{offer.title} (revised)"
    offer.price_min = Decimal("612.50")
    offer.save_revision(user=member.user)  # a draft on a live page

    article = NewsArticlePage.objects.descendant_of(steel).order_by("path").first()
    banner = Image.objects.filter(collection=portal_settings.collection).order_by("pk").last()
    article.body = json.dumps(
        [
            {"type": "image", "value": {"image": banner.pk, "decorative": False, "alt_text": "x"}},
            {
                "type": "paragraph",
                "value": f'<p>See <a linktype="page" id="{offer.pk}">it</a>.</p>',
            },
        ]
    )
    article.save_revision().publish()

    company = CompanyPage.objects.live().descendant_of(steel).order_by("-path").first()
    company.save_revision().publish()
    company.unpublish()

    Document.objects.create(
        title="Price list",
        collection=portal_settings.collection,
        file=ContentFile(b"grade,price\nS235,610\n", name="steel-prices.csv"),
    )
    Inquiry.objects.create(
        listing=offer, site=site, name="Bo", email="bo@example.org", message="Still available?"
    )
    request = BuyRequestPage.objects.live().descendant_of(steel).order_by("path").first()
    pending = BuyRequestPage.objects.live().descendant_of(steel).order_by("path").last()
    pending.title = f"{pending.title} (more)"
    pending.save_revision(user=member.user)
    pending.get_workflow().start(pending, member.user)  # in moderation
    Quote.objects.create(
        request=request,
        membership=member,
        price=Decimal("590"),
        currency="USD",
        quantity=request.quantity,
        lead_time_days=20,
    )
    plans_and_placement(site, editor, offer, company, banner)
    franchise = FranchiseListingPage.objects.live().descendant_of(steel).order_by("path").first()
    Enquiry.objects.create(
        page=franchise,
        site=site,
        company=member.company,
        name="Cy",
        email="cy@example.org",
        message="Which territories are open?",
        amount=Decimal("250000"),
        currency="EUR",
        timeline="3m",
        territory=offer.region,
        status="replied",
        notes="Called back on Monday.",
        replied_at=offer.first_published_at,
    )
    category = offer.category
    Alert.objects.create(
        site=site,
        email="buyer@example.org",
        kind=Alert.SEARCH,
        label="Coils",
        filters={"categories": [category.pk], "regions": [offer.region_id], "company": company.pk},
        excluded_regions=[offer.region_id],
        confirmed_at=offer.first_published_at,
    )
    return steel


def plans_and_placement(site: Site, editor, offer, company, banner) -> None:
    """A company on a paid plan with a payment and a reminder sent; a sponsored listing and a
    house ad, each with a day's counts."""
    plan = Plan.objects.filter(site=site, is_free=False).order_by("position").first()
    today = timezone.localdate()
    subscription = Subscription.objects.create(
        site=site,
        company=company,
        plan=plan,
        starts_on=today,
        ends_on=today.replace(year=today.year + 1),
        payment_reference="INV-2026-7",
        assigned_by=editor,
    )
    Payment.objects.create(
        site=site,
        company=company,
        subscription=subscription,
        reference="INV-2026-7",
        amount=plan.price,
        currency=plan.currency,
        status=PaymentStatus.PAID,
        recorded_on=today,
        recorded_by=editor,
    )
    Reminder.objects.create(subscription=subscription, days_before=30, recipients=2)
    sponsorship = Sponsorship.objects.create(
        site=site,
        page=offer,
        starts_on=today,
        ends_on=today,
        advertiser="Coil Traders Ltd",
        payer="Coil Traders Ltd",
        created_by=editor,
    )
    house_ad = HouseAd.objects.create(
        site=site,
        section=offer.get_parent(),
        title="Meet us at the fair",
        link_page=company,
        image=banner,
        starts_on=today,
        ends_on=today,
    )
    DailyCount.objects.create(
        site=site, sponsorship=sponsorship, day=today, impressions=9, clicks=2
    )
    DailyCount.objects.create(site=site, house_ad=house_ad, day=today, impressions=7, clicks=1)


def export(path: Path, slug: str = "steel", **options) -> Path:
    call_command("export_portal", slug, output=path, verbosity=0, **options)
    return path


def restore(path: Path, **options) -> None:
    call_command("import_portal", str(path), verbosity=0, **options)


def archived(path: Path) -> dict:
    with tarfile.open(path) as tar:
        return json.load(tar.extractfile("data.json"))


# --- what users see -------------------------------------------------------------------------


SYSTEM_FIELDS = {
    "id",
    "path",
    "depth",
    "numchild",
    "latest_revision",
    "live_revision",
    "content_type",
}


def described(value) -> object:
    if isinstance(value, Page):
        return value.url_path
    if isinstance(value, Image | Document):
        return value.title
    if isinstance(value, get_user_model()):
        return value.get_username()
    return str(value) if value is not None else None


def stream_described(raw: str) -> str:
    """Stream data with image ids as titles and page ids as paths."""
    raw = re.sub(r'"image": (\d+)', lambda m: repr(Image.objects.get(pk=m[1]).title), raw)
    return re.sub(
        r'linktype=\\"page\\" id=\\"(\d+)\\"', lambda m: Page.objects.get(pk=m[1]).url_path, raw
    )


def content(obj) -> dict:
    """A page's fields as a reader or editor sees them (related objects by name)."""
    result = {}
    for field in obj._meta.concrete_fields:
        if field.name in SYSTEM_FIELDS or field.name.endswith("_ptr"):
            continue
        if field.is_relation:
            result[field.name] = described(getattr(obj, field.name))
        elif field.name == "body":
            result[field.name] = stream_described(json.dumps(list(obj.body.raw_data)))
        else:
            result[field.name] = field.value_to_string(obj)
    for field in obj._meta.many_to_many:
        result[field.name] = sorted(str(item) for item in getattr(obj, field.name).all())
    return result


def pages_seen(home: Page) -> dict:
    page_type = ContentType.objects.get_for_model(Page)
    seen = {}
    for page in Page.objects.descendant_of(home, inclusive=True).specific().order_by("path"):
        revisions = Revision.objects.filter(base_content_type=page_type, object_id=str(page.pk))
        latest = page.get_latest_revision()
        seen[page.url_path] = {
            "type": type(page).__name__,
            "live": page.live,
            "draft": page.has_unpublished_changes,
            "revisions": revisions.count(),
            "revision authors": sorted(described(r.user) or "" for r in revisions),
            "moderation": (
                page.current_workflow_state.status,
                page.current_workflow_task.name,
                described(page.current_workflow_state.requested_by),
                page.current_workflow_task_state.revision.as_object().title,
            )
            if page.workflow_in_progress
            else None,
            "now": content(page),
            "latest revision": content(latest.as_object()) if latest else None,
        }
    return seen


def media_seen(collection: Collection) -> dict:
    files = {}
    for model in (Image, Document):
        for item in model.objects.filter(collection=collection):
            with item.file.open("rb") as handle:
                files[f"{model.__name__} {item.title}"] = hashlib.sha256(handle.read()).hexdigest()
    return files


def text_of(html: str) -> str:
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def rendered(home: Page) -> dict:
    """The public pages a visitor opens first: home, sections, a few items of each type, a
    category filter of the board."""
    client = Client(HTTP_HOST=host(home.specific.industry_slug))
    pages = [home, *home.get_children().live()]
    for model in (SellOfferPage, BuyRequestPage, NewsArticlePage, CompanyPage):
        pages += model.objects.live().descendant_of(home).order_by("path")[:1]
    paths = [page.url_path.removeprefix(home.url_path[:-1]) for page in pages]
    board = BoardIndexPage.objects.child_of(home).get()
    category = Category.objects.filter(site__root_page=home, parent=None).order_by("pk").first()
    paths.append(f"/{board.slug}/category/{category.slug}/")
    shown = {}
    for path in paths:
        response = client.get(path)
        shown[path] = (response.status_code, text_of(response.content.decode()))
    return shown


def described_filters(alert: Alert) -> tuple:
    """An alert's filters by what their keys name (keys differ once restored elsewhere)."""
    filters = alert.filters
    return (
        [Category.objects.get(pk=pk).slug for pk in filters.get("categories", [])],
        [Region.objects.get(pk=pk).code for pk in filters.get("regions", [])],
        Page.objects.get(pk=filters["company"]).url_path if filters.get("company") else None,
        [Region.objects.get(pk=pk).code for pk in alert.excluded_regions],
    )


def portal_seen(slug: str) -> dict:
    home = PortalHomePage.objects.get(industry_slug=slug)
    site = Site.objects.get(root_page=home)
    look = PortalSettings.for_site(site)
    workflow = WorkflowPage.objects.get(page=home).workflow
    return {
        "site": (site.hostname, site.port, site.site_name, site.is_default_site),
        "settings": content(look)
        | {"logo file": media_seen(look.collection).get(f"Image {look.logo.title}")},
        "groups": sorted(
            (
                group.name,
                sorted(group.permissions.values_list("codename", flat=True)),
                sorted(group.user_set.values_list("username", flat=True)),
            )
            for group in (look.editors_group, look.moderators_group)
        ),
        "page permissions": sorted(
            (p.group.name, p.page.url_path, p.permission.codename)
            for group in (look.editors_group, look.moderators_group)
            for p in group.page_permissions.all()
        ),
        "workflow": (
            workflow.name,
            [(t.name, sorted(g.name for g in t.specific.groups.all())) for t in workflow.tasks],
        ),
        "categories": [content(c) for c in Category.objects.filter(site=site).order_by("slug")],
        "regions": [content(r) for r in Region.objects.filter(site=site).order_by("code")],
        "pages": pages_seen(home),
        "media": media_seen(look.collection),
        "members": sorted(
            (m.user.get_username(), m.user.email, described(m.company), m.notify_matches)
            for m in Membership.objects.filter(site=site)
        ),
        "inquiries": sorted(
            (i.listing.url_path, i.email, i.message, i.created_at.isoformat())
            for i in Inquiry.objects.filter(site=site)
        ),
        "quotes": sorted(
            (q.request.url_path, q.membership.user.email, str(q.price), q.status)
            for q in Quote.objects.filter(request__in=Page.objects.descendant_of(home))
        ),
        "alerts": sorted(
            (alert.email, described_filters(alert)) for alert in Alert.objects.filter(site=site)
        ),
        "plans": plans_seen(site),
        "placement": placement_seen(site),
        "enquiries": sorted(
            (
                e.page.url_path,
                e.company.url_path if e.company else None,
                e.email,
                e.message,
                str(e.amount),
                e.timeline,
                e.territory.code if e.territory else None,
                e.status,
                e.notes,
                e.replied_at.isoformat() if e.replied_at else None,
                e.digest == duplicate_key(e.page_id, e.email, e.message),
            )
            for e in Enquiry.objects.filter(site=site)
        ),
        "search": sorted(
            (d.doc_type, d.title, d.url, str(d.category), str(d.region))
            for d in SearchDocument.objects.filter(site=site)
        ),
        "rendered": rendered(home),
    }


def plans_seen(site: Site) -> dict:
    def who(user) -> str | None:
        return user.get_username() if user else None

    return {
        "plans": sorted(
            (p.key, p.name, str(p.price), p.currency, p.live_listings, p.offered)
            for p in Plan.objects.filter(site=site)
        ),
        "subscriptions": sorted(
            (s.company.url_path, s.plan.key, str(s.starts_on), str(s.ends_on), who(s.assigned_by))
            for s in Subscription.objects.filter(site=site)
        ),
        "payments": sorted(
            (
                p.company.url_path,
                p.subscription.plan.key if p.subscription else None,
                p.reference,
                str(p.amount),
                p.status,
                who(p.recorded_by),
            )
            for p in Payment.objects.filter(site=site)
        ),
        "reminders": sorted(
            (r.subscription.company.url_path, r.days_before, r.recipients)
            for r in Reminder.objects.filter(subscription__site=site)
        ),
    }


def placement_seen(site: Site) -> dict:
    def counts(item) -> list:
        return sorted((str(c.day), c.impressions, c.clicks) for c in item.counts.all())

    return {
        "sponsorships": sorted(
            (s.page.url_path, s.advertiser, s.payer, str(s.starts_on), counts(s))
            for s in Sponsorship.objects.filter(site=site)
        ),
        "house ads": sorted(
            (
                h.section.url_path,
                h.title,
                h.link_page.url_path if h.link_page else h.link_url,
                h.image.title if h.image else None,
                counts(h),
            )
            for h in HouseAd.objects.filter(site=site)
        ),
    }


def differences(before, after, where: str = "") -> list[str]:
    """Where two nested values differ, e.g. ``pages/steel/board/ now/title: 'a' → 'b'``."""
    if isinstance(before, dict) and isinstance(after, dict):
        found = []
        for key in before.keys() | after.keys():
            if key not in before or key not in after:
                found.append(f"{where}/{key}: only {'after' if key in after else 'before'}")
            else:
                found += differences(before[key], after[key], f"{where}/{key}")
        return found
    return [] if before == after else [f"{where}: {before!r} → {after!r}"]


def assert_same(before: dict, after: dict) -> None:
    found = differences(before, after)
    assert not found, "\n".join(found)


# --- restoring ------------------------------------------------------------------------------


def test_restore_into_an_install_without_the_portal_or_its_people(steel_at_work, tmp_path):
    before = portal_seen("steel")
    archive = export(tmp_path / "steel.tar.gz", with_members=True)
    for home in PortalHomePage.objects.all():
        remove_portal(home)
    get_user_model().objects.all().delete()

    restore(archive)

    assert_same(before, portal_seen("steel"))
    assert Page.find_problems() == ([], [], [], [], [])
    restored_member = get_user_model().objects.get(username="alice")
    assert restored_member.check_password("member-pass-123")


def occupy_keys(archive: Path) -> None:
    """Rows here with the keys the archive's rows had, as in another install."""
    textiles = Site.objects.get(hostname="textiles.localhost")
    data = {table["model"]: table["records"] for table in archived(archive)["tables"]}
    root = Page.get_first_root_node()
    for record in data["wagtailcore.page"] + data["core.portalhomepage"]:
        filler = root.add_child(instance=Page(title="Taken", slug=f"taken-{record['pk']}"))
        Page.objects.filter(pk=filler.pk).update(id=record["pk"])
    page_type = ContentType.objects.get_for_model(Page)
    for record in data["wagtailcore.revision"]:
        Revision.objects.create(
            pk=record["pk"],
            content_type=page_type,
            base_content_type=page_type,
            object_id=str(root.pk),
            content={},
            created_at=timezone.now(),
        )
    for record in data["core.category"]:
        Category.objects.create(
            pk=record["pk"], site=textiles, name="Taken", slug=f"t{record['pk']}"
        )
    for record in data["core.region"]:
        Region.objects.create(pk=record["pk"], site=textiles, name="Taken", code=f"t{record['pk']}")
    for record in data["wagtailcore.collection"]:
        Collection.get_first_root_node().add_child(
            instance=Collection(pk=record["pk"], name=f"Taken {record['pk']}")
        )
    textiles_plan = Plan.objects.filter(site=textiles).first()
    textiles_company = CompanyPage.objects.descendant_of(textiles.root_page).first()
    textiles_listing = SellOfferPage.objects.descendant_of(textiles.root_page).first()
    for record in data["plans.plan"]:
        Plan.objects.create(
            pk=record["pk"],
            site=textiles,
            key=f"taken-{record['pk']}",
            name="Taken",
            currency="USD",
        )
    day = timezone.localdate()
    for record in data["plans.subscription"]:
        Subscription.objects.create(
            pk=record["pk"],
            site=textiles,
            company=textiles_company,
            plan=textiles_plan,
            starts_on=day,
            ends_on=day,
        )
    for record in data["sponsored.sponsorship"]:
        Sponsorship.objects.create(
            pk=record["pk"],
            site=textiles,
            page=textiles_listing,
            starts_on=day,
            ends_on=day,
            advertiser="Taken",
            payer="Taken",
        )
    logo = Image.objects.exclude(collection__name__startswith="Taken").first()
    for record in data["wagtailimages.image"]:
        Image.objects.create(pk=record["pk"], title="Taken", file=logo.file.name, width=1, height=1)


def test_restore_beside_other_portals_whose_rows_hold_its_keys(steel_at_work, tmp_path):
    before = portal_seen("steel")
    textiles_before = pages_seen(PortalHomePage.objects.get(industry_slug="textiles"))
    archive = export(tmp_path / "steel.tar.gz", with_members=True)
    old_home = steel_at_work.pk
    remove_portal(steel_at_work)
    occupy_keys(archive)

    restore(archive)

    assert_same(before, portal_seen("steel"))
    home = PortalHomePage.objects.get(industry_slug="steel")
    assert home.pk != old_home and Page.objects.get(pk=old_home).title == "Taken"
    assert pages_seen(PortalHomePage.objects.get(industry_slug="textiles")) == textiles_before
    assert Page.find_problems() == ([], [], [], [], [])


def test_replace_restores_the_portal_in_place_of_itself(steel_at_work, tmp_path):
    archive = export(tmp_path / "steel.tar.gz", with_members=True)
    before = portal_seen("steel")
    offer = SellOfferPage.objects.live().descendant_of(steel_at_work).last()
    offer.unpublish()  # a change after the backup, undone by the restore

    restore(archive, replace=True)

    assert_same(before, portal_seen("steel"))
    assert not Page.objects.filter(pk=steel_at_work.pk).exists()
    assert PortalHomePage.objects.count() == 3


def test_without_members_the_portal_keeps_its_content_only(steel_at_work, tmp_path):
    archive = export(tmp_path / "steel.tar.gz")
    tables = {table["model"] for table in archived(archive)["tables"]}
    assert "members.membership" not in tables and "board.inquiry" not in tables
    assert "leads.enquiry" not in tables  # what strangers wrote, with their addresses
    kept = {"plans.subscription", "plans.payment", "sponsored.sponsorship", "sponsored.dailycount"}
    assert kept <= tables
    remove_portal(steel_at_work)
    restore(archive)
    site = Site.objects.get(hostname="steel.localhost")
    assert not Membership.objects.filter(site=site).exists()
    offer = SellOfferPage.objects.descendant_of(site.root_page).filter(title__endswith="(revised)")
    assert not offer.exists()  # the draft title is in the latest revision, written by alice:
    draft = SellOfferPage.objects.descendant_of(site.root_page).filter(has_unpublished_changes=True)
    assert draft.get().get_latest_revision().user.username == "alice"  # found by username


# --- refusing -------------------------------------------------------------------------------


def media_files() -> set[str]:
    return {str(p) for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()}


def test_an_existing_portal_is_refused_without_replace(steel_at_work, tmp_path):
    archive = export(tmp_path / "steel.tar.gz")
    pages, files = Page.objects.count(), media_files()

    with pytest.raises(CommandError) as refused:
        restore(archive)

    assert "already exists" in str(refused.value) and "--replace" in str(refused.value)
    assert "\n" not in str(refused.value)
    assert Page.objects.count() == pages and media_files() == files
    assert Site.objects.filter(hostname="steel.localhost").count() == 1


def test_a_failed_restore_leaves_nothing_behind(steel_at_work, tmp_path, monkeypatch):
    archive = export(tmp_path / "steel.tar.gz", with_members=True)
    remove_portal(steel_at_work)
    pages, files = Page.objects.count(), media_files()

    def fail(home):
        raise RuntimeError("search is broken")

    monkeypatch.setattr("portal.backup.restore.reindex_tree", fail)
    with pytest.raises(RuntimeError):
        restore(archive)

    assert Page.objects.count() == pages and media_files() == files
    assert not Site.objects.filter(hostname="steel.localhost").exists()
    assert not Image.objects.filter(collection__name__startswith="SteelHub").exists()


def test_a_damaged_archive_is_refused_and_leaves_nothing(steel_at_work, tmp_path):
    archive = export(tmp_path / "steel.tar.gz")
    with tarfile.open(archive) as tar:
        files = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}
    data = json.loads(files["data.json"])
    data["tables"] = [t for t in data["tables"] if t["model"] != "core.region"]
    damaged = tar_with(
        tmp_path / "damaged.tar.gz", files | {"data.json": json.dumps(data).encode()}
    )
    remove_portal(steel_at_work)
    pages, files_before = Page.objects.count(), media_files()

    with pytest.raises(CommandError) as refused:
        restore(damaged)

    assert "refers to core.region" in str(refused.value) and "\n" not in str(refused.value)
    assert Page.objects.count() == pages and media_files() == files_before


def tar_with(path: Path, files: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def text_file(path: Path) -> Path:
    path.write_text("not an archive")
    return path


def manifest(**values) -> bytes:
    portal = {"slug": "steel", "hostname": "steel.localhost", "port": 8000}
    return json.dumps(
        {"format": "guildhall-portal", "version": 1, "portal": portal} | values
    ).encode()


@pytest.mark.parametrize(
    ("archive", "message"),
    [
        (lambda tmp: tmp / "nowhere.tar.gz", "no such file"),
        (lambda tmp: text_file(tmp / "notes.txt"), "not a portal archive"),
        (lambda tmp: tar_with(tmp / "a.tar.gz", {"data.json": b"{}"}), "no manifest.json"),
        (
            lambda tmp: tar_with(tmp / "b.tar.gz", {"manifest.json": manifest(format="other")}),
            "not a portal archive",
        ),
        (
            lambda tmp: tar_with(tmp / "c.tar.gz", {"manifest.json": manifest(version=99)}),
            "format version 99 is not supported",
        ),
        (lambda tmp: tar_with(tmp / "d.tar.gz", {"manifest.json": manifest()}), "no data.json"),
    ],
    ids=["missing", "not-a-tar", "no-manifest", "other-format", "newer-version", "no-data"],
)
def test_bad_archives_are_refused_in_one_line(db, tmp_path, archive, message):
    pages = Page.objects.count()
    with pytest.raises(CommandError) as refused:
        restore(archive(tmp_path))
    assert message in str(refused.value) and "\n" not in str(refused.value)
    assert Page.objects.count() == pages


def test_exporting_an_unknown_portal_names_the_known_ones(db, tmp_path):
    with pytest.raises(CommandError, match=r"no portal with slug 'steal' \(known: agrifood"):
        export(tmp_path / "x.tar.gz", slug="steal")
    with pytest.raises(CommandError, match="no such folder"):
        export(tmp_path / "missing" / "x.tar.gz")


# --- nothing tied to a portal is forgotten --------------------------------------------------


# Rows tied to a portal's site or pages that a backup leaves out on purpose.
NOT_BACKED_UP = {
    "search.searchdocument": "rebuilt from the pages after a restore",
    "pagecache.purgesnapshot": "what page caches kept; made afresh by the next change",
    "wagtailcore.comment": "editors' comments stay with the install",
    "wagtailcore.pagesubscription": "editors' comment notifications",
    "wagtailcore.referenceindex": "rebuilt by Wagtail as rows are saved",
    "wagtailcore.workflowcontenttype": "snippet workflows, not page workflows",
    "plans.quotalock": "a lock row per company, made again when a quota is checked",
}


def test_every_model_tied_to_a_site_or_page_is_backed_up(steel_at_work, tmp_path):
    archive = export(tmp_path / "steel.tar.gz", with_members=True)
    tables = {table["model"] for table in archived(archive)["tables"]}
    tied = {
        model._meta.label_lower
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if field.is_relation
        and field.related_model is not None
        and issubclass(field.related_model, Site | Page)
        and not issubclass(model, Page)
        and not isinstance(field, ParentalKey)  # it travels with its page
    }
    assert tied - tables - NOT_BACKED_UP.keys() == set()
