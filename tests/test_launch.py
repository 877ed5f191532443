"""launch_portal creates a whole portal and is idempotent; any valid file works."""

from datetime import date

import pytest
import yaml
from django.contrib.auth.models import Group
from django.core.management import call_command
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
    capsys.readouterr()
    call_command("launch_portal", "chemicals", demo=20, as_of=date(2026, 1, 15))
    assert snapshot() == first
    assert "ChemTrade: up to date" in capsys.readouterr().out


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
    write(industries_dir, "chemicals2", {**CHEMICALS, "hostname": "chem2.example.org"})
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
