"""Industry files: the shipped ones are valid and rich; broken ones give one clear line."""

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command
from wagtail.models import Site

from industries.loader import IndustryError, available_slugs, load_industry, parse_industry
from portal.core.models import PortalHomePage

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("slug", ["steel", "textiles", "agrifood"])
def test_shipped_industries_have_a_rich_two_level_taxonomy(slug):
    industry = load_industry(slug, ROOT / "industries", settings.THEMES)
    assert len(industry.categories()) >= 20
    assert all(group.children for group in industry.taxonomy)
    assert industry.units and industry.currencies and industry.regions
    assert {s.kind for s in industry.sections} == {
        "news",
        "board",
        "prices",
        "franchises",
        "investment",
        "directory",
        "catalogue",
        "events",
    }


def write(directory: Path, slug: str, change) -> Path:
    data = yaml.safe_load((ROOT / "industries" / "steel.yaml").read_text())
    data.pop("slug", None)
    change(data)
    path = directory / f"{slug}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    return path


def set_path(keys, value):
    def change(data):
        target = data
        for key in keys[:-1]:
            target = target[key]
        target[keys[-1]] = value

    return change


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.pop("hostname"), "hostname: Field required"),
        (set_path(["palette", "primary"], "blue"), "palette.primary: String should match"),
        (set_path(["palette", "primary"], "#f0f0f0"), "too light for white text"),
        (set_path(["hostname"], "not a host!"), "is not a hostname like"),
        (set_path(["currencies"], ["usd"]), "currencies.0: String should match"),
        (set_path(["theme"], "nonexistent"), "theme: 'nonexistent' is not an installed theme"),
        (set_path(["regions"], []), "regions: List should have at least 1 item"),
        (lambda d: d.update(colour="red"), "colour: Extra inputs are not permitted"),
        (lambda d: d["taxonomy"].append(d["taxonomy"][0]), "appears twice"),
        (
            lambda d: d["taxonomy"][0]["children"][0].update(
                price={"min": 1, "max": 2, "unit": "furlong", "currency": "USD"}
            ),
            "which is not one of the units",
        ),
    ],
)
def test_broken_file_names_file_field_and_expectation(tmp_path, change, expected):
    path = write(tmp_path, "broken", change)
    with pytest.raises(IndustryError) as error:
        parse_industry(path, settings.THEMES)
    message = str(error.value)
    assert message.startswith(f"{path}: ")
    assert expected in message
    assert "\n" not in message


def test_invalid_yaml_reports_the_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("name: Bad\ntaxonomy: [unclosed\n")
    with pytest.raises(IndustryError, match=r"bad.yaml: not valid YAML at line \d+"):
        parse_industry(path)


def test_slug_must_match_file_name(tmp_path):
    path = write(tmp_path, "copper", set_path(["slug"], "zinc"))
    with pytest.raises(IndustryError, match="slug: 'zinc' must match the file name 'copper'"):
        parse_industry(path)


def test_unknown_industry_lists_the_known_ones(industries_dir):
    with pytest.raises(CommandError, match=r"no such industry file.*known industries: agrifood"):
        call_command("launch_portal", "plastics", verbosity=0)


@pytest.mark.django_db
def test_one_broken_file_launches_nothing(industries_dir):
    write(industries_dir, "copper", set_path(["hostname"], "copper.example.org"))
    write(industries_dir, "zzz-broken", set_path(["palette", "accent"], "orange"))
    assert available_slugs(industries_dir)[-1] == "zzz-broken"
    with pytest.raises(CommandError, match=r"zzz-broken\.yaml: palette\.accent"):
        call_command("launch_portal", "copper", "zzz-broken", verbosity=0)
    assert not PortalHomePage.objects.filter(industry_slug="copper").exists()


@pytest.mark.django_db
def test_failure_mid_launch_leaves_nothing_half_created(industries_dir):
    # The hostname clashes with the steel portal, found after the home page was made.
    write(industries_dir, "copper", set_path(["hostname"], "steel.localhost:8000"))
    sites_before = Site.objects.count()
    with pytest.raises(CommandError, match="already used by the site"):
        call_command("launch_portal", "copper", verbosity=0)
    assert not PortalHomePage.objects.filter(industry_slug="copper").exists()
    assert Site.objects.count() == sites_before


def test_command_exits_non_zero_with_one_readable_line(tmp_path):
    write(tmp_path, "broken", set_path(["palette", "primary"], "#ffff00"))
    result = subprocess.run(
        [sys.executable, "manage.py", "launch_portal", "broken"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={
            "INDUSTRIES_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "portal.settings.test",
            "PATH": "/usr/bin:/bin",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        },
    )
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert (
        "broken.yaml: palette: Value error, primary #ffff00 is too light" in lines[0]
        or "broken.yaml: palette: primary #ffff00 is too light" in lines[0]
    )
