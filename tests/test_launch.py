"""launch_portal creates a whole portal and is idempotent; any valid file works."""

from datetime import date

import pytest
import yaml
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Revision,
    Site,
    WorkflowPage,
)

from portal.core.models import Category, PortalHomePage, PortalSettings, Region

pytestmark = pytest.mark.django_db

CHEMICALS = {
    "name": "ChemTrade",
    "hostname": "chemicals.example.org",
    "tagline": "Specialty and commodity chemicals",
    "theme": "base",
    "palette": {"primary": "#2d2a6e", "accent": "#0f7c6c"},
    "units": [{"code": "t", "name": "tonne"}, {"code": "drum", "name": "drum"}],
    "currencies": ["USD", "EUR"],
    "regions": [{"code": "europe", "name": "Europe"}, {"code": "asia", "name": "Asia"}],
    "sections": [{"kind": "news"}, {"kind": "board", "title": "Exchange"}],
    "taxonomy": [
        {"name": "Solvents", "children": [{"name": "Acetone"}, {"name": "Methanol"}]},
        {
            "name": "Polymers",
            "children": [
                {
                    "name": "PET resin",
                    "price": {"min": 900, "max": 1300, "unit": "t", "currency": "USD"},
                }
            ],
        },
    ],
}


def snapshot() -> dict[str, int]:
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "sites": Site.objects.count(),
        "groups": Group.objects.count(),
        "collections": Collection.objects.count(),
        "page_permissions": GroupPagePermission.objects.count(),
        "collection_permissions": GroupCollectionPermission.objects.count(),
        "categories": Category.objects.count(),
        "regions": Region.objects.count(),
        "workflows": WorkflowPage.objects.count(),
    }


def write(directory, slug, data):
    (directory / f"{slug}.yaml").write_text(yaml.safe_dump(data))


def test_a_file_the_code_has_never_seen_becomes_a_portal(industries_dir, client):
    write(industries_dir, "chemicals", CHEMICALS)
    call_command("launch_portal", "chemicals", hostname="chem.localhost:8000", verbosity=0)

    home = PortalHomePage.objects.get(industry_slug="chemicals")
    site = Site.objects.get(root_page=home)
    assert (site.hostname, site.port, site.site_name) == ("chem.localhost", 8000, "ChemTrade")
    assert [p.title for p in home.get_children().live().in_menu()] == ["News", "Exchange"]
    assert Category.objects.filter(site=site, parent__isnull=False).count() == 3
    settings = PortalSettings.for_site(site)
    assert settings.editors_group.name == "ChemTrade editors"
    assert settings.collection.name == "ChemTrade"
    assert WorkflowPage.objects.get(page=home).workflow.name == "ChemTrade moderation"

    response = client.get("/", HTTP_HOST="chem.localhost:8000")
    assert response.status_code == 200
    assert b"Specialty and commodity chemicals" in response.content


def test_second_launch_changes_and_duplicates_nothing(industries_dir, capsys):
    write(industries_dir, "chemicals", CHEMICALS)
    call_command("launch_portal", "chemicals", demo=20, as_of=date(2026, 1, 15))
    first = snapshot()
    home = PortalHomePage.objects.get(industry_slug="chemicals")
    state = (
        home.title,
        home.seo_title,
        home.latest_revision_id,
        list(Site.objects.filter(root_page=home).values()),
    )
    capsys.readouterr()
    call_command("launch_portal", "chemicals", demo=20, as_of=date(2026, 1, 15))
    assert snapshot() == first
    home.refresh_from_db()
    assert (
        home.title,
        home.seo_title,
        home.latest_revision_id,
        list(Site.objects.filter(root_page=home).values()),
    ) == state
    assert "ChemTrade: up to date" in capsys.readouterr().out


def test_moving_a_portal_to_another_hostname_is_reported(industries_dir, capsys):
    write(industries_dir, "chemicals", CHEMICALS)
    call_command("launch_portal", "chemicals", verbosity=0)
    capsys.readouterr()
    call_command("launch_portal", "chemicals", hostname="CHEM.localhost:8000")
    out = capsys.readouterr().out
    assert "ChemTrade: updated" in out and "http://chem.localhost:8000/" in out
    site = Site.objects.get(root_page__portalhomepage__industry_slug="chemicals")
    assert (site.hostname, site.port) == ("chem.localhost", 8000)


@pytest.mark.parametrize("hostname", ["steel.localhost:80x0", "bad host", "x:99999"])
def test_a_bad_hostname_option_is_one_clear_error(industries_dir, hostname):
    write(industries_dir, "chemicals", CHEMICALS)
    with pytest.raises(CommandError, match=r"hostname: .* is not a hostname like"):
        call_command("launch_portal", "chemicals", hostname=hostname, verbosity=0)
    assert not PortalHomePage.objects.filter(industry_slug="chemicals").exists()


def test_two_portals_cannot_share_a_name(industries_dir):
    write(industries_dir, "chemicals", CHEMICALS)
    write(industries_dir, "chemicals2", {**CHEMICALS, "hostname": "chem2.example.org"})
    with pytest.raises(CommandError, match="have the same name 'ChemTrade'"):
        call_command("launch_portal", "chemicals", "chemicals2", verbosity=0)
    call_command("launch_portal", "chemicals", verbosity=0)
    with pytest.raises(
        CommandError, match="name: 'ChemTrade' is already used by the portal 'ChemTrade'"
    ):
        call_command("launch_portal", "chemicals2", verbosity=0)
    assert not PortalHomePage.objects.filter(industry_slug="chemicals2").exists()


def test_relaunch_keeps_an_editors_unpublished_draft(industries_dir, capsys):
    write(industries_dir, "chemicals", CHEMICALS)
    call_command("launch_portal", "chemicals", verbosity=0)
    news = (
        PortalHomePage.objects.get(industry_slug="chemicals")
        .get_children()
        .get(slug="news")
        .specific
    )
    news.intro = "Draft intro by an editor"
    news.save_revision()
    changed = {
        **CHEMICALS,
        "sections": [
            {"kind": "news", "title": "Headlines"},
            {"kind": "board", "title": "Exchange"},
        ],
    }
    write(industries_dir, "chemicals", changed)
    capsys.readouterr()
    call_command("launch_portal", "chemicals")
    captured = capsys.readouterr()
    assert "News: not updated (title) because it has unpublished changes" in captured.err
    news.refresh_from_db()
    assert news.title == "News" and news.has_unpublished_changes
    assert news.get_latest_revision_as_object().intro == "Draft intro by an editor"


def test_relaunch_applies_changes_in_place(industries_dir):
    write(industries_dir, "chemicals", CHEMICALS)
    call_command("launch_portal", "chemicals", verbosity=0)
    home = PortalHomePage.objects.get(industry_slug="chemicals")
    before = snapshot()

    changed = {
        **CHEMICALS,
        "name": "ChemTrade Global",
        "tagline": "Chemicals, worldwide",
        "palette": {"primary": "#1a1a1a", "accent": "#0f7c6c"},
    }
    changed["taxonomy"] = [CHEMICALS["taxonomy"][0]]  # Polymers retired
    write(industries_dir, "chemicals", changed)
    call_command("launch_portal", "chemicals", verbosity=0)

    home.refresh_from_db()
    site = Site.objects.get(root_page=home)
    settings = PortalSettings.for_site(site)
    assert home.title == "ChemTrade Global"
    assert settings.tagline == "Chemicals, worldwide"
    assert settings.colour_primary == "#1a1a1a"
    assert settings.editors_group.name == "ChemTrade Global editors"
    assert settings.collection.name == "ChemTrade Global"
    assert WorkflowPage.objects.get(page=home).workflow.name == "ChemTrade Global moderation"
    assert home.seo_title == "ChemTrade Global"
    assert not Category.objects.get(site=site, slug="pet-resin").is_active
    after = snapshot()
    assert after["sites"] == before["sites"]
    assert after["groups"] == before["groups"]
    assert after["categories"] == before["categories"]


def test_demo_scale_adds_without_touching_existing_items(industries_dir):
    write(industries_dir, "chemicals", CHEMICALS)
    call_command("launch_portal", "chemicals", demo=20, as_of=date(2026, 1, 15), verbosity=0)
    home = PortalHomePage.objects.get(industry_slug="chemicals")
    board = home.get_children().get(slug="board")
    first = dict(Page.objects.child_of(board).values_list("slug", "title"))
    call_command("launch_portal", "chemicals", demo=30, as_of=date(2026, 1, 15), verbosity=0)
    second = dict(Page.objects.child_of(board).values_list("slug", "title"))
    assert len(first) == 20 and len(second) == 30
    assert all(second[slug] == title for slug, title in first.items())
    assert Page.find_problems() == ([], [], [], [], [])


def test_demo_content_is_deterministic(industries_dir, tmp_path):
    write(industries_dir, "chemicals", CHEMICALS)
    call_command("launch_portal", "chemicals", demo=15, as_of=date(2026, 1, 15), verbosity=0)
    home = PortalHomePage.objects.get(industry_slug="chemicals")
    titles = sorted(home.get_descendants().values_list("title", flat=True))
    # Same file under another slug: same generator, different seed, different content.
    write(
        industries_dir,
        "chemicals2",
        {**CHEMICALS, "name": "ChemTrade Asia", "hostname": "chem2.example.org"},
    )
    call_command("launch_portal", "chemicals2", demo=15, as_of=date(2026, 1, 15), verbosity=0)
    other = PortalHomePage.objects.get(industry_slug="chemicals2")
    assert sorted(other.get_descendants().values_list("title", flat=True)) != titles
    # Deleting and regenerating gives exactly the same titles again.
    for child in home.get_children():
        for page in child.get_children():
            page.delete()
    call_command("launch_portal", "chemicals", demo=15, as_of=date(2026, 1, 15), verbosity=0)
    assert sorted(home.get_descendants().values_list("title", flat=True)) == titles


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("SteelHub — Steel & Metals", "SH"),
        ("Agri Food", "AF"),
        ("ChemTrade", "CT"),
        ("steel portal", "SP"),
        ("— 3D Print Hub", "3D"),
        ("—", "?"),
    ],
)
def test_default_logo_initials(name, expected):
    from industries.launch import initials

    assert initials(name) == expected


def test_demo_dates_follow_as_of(industries_dir):
    write(industries_dir, "chemicals", CHEMICALS)
    call_command("launch_portal", "chemicals", demo=20, as_of=date(2026, 1, 15), verbosity=0)
    from portal.news.models import NewsArticlePage

    articles = NewsArticlePage.objects.filter(url_path__startswith="/chemicals/")
    dates = {a.date for a in articles}
    assert len(dates) > 1 and max(dates) <= date(2026, 1, 15)
    assert all(a.date == a.first_published_at.date() for a in articles)


def test_superuser_can_delete_a_whole_portal(industries_dir):
    write(industries_dir, "chemicals", CHEMICALS)
    call_command("launch_portal", "chemicals", demo=20, verbosity=0)
    home = PortalHomePage.objects.get(industry_slug="chemicals")
    site_id = Site.objects.get(root_page=home).pk
    home.delete()
    assert not Site.objects.filter(pk=site_id).exists()
    assert not Category.objects.filter(site_id=site_id).exists()
    assert Page.find_problems() == ([], [], [], [], [])
