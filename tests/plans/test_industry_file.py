"""Plans come from the industry file: clear errors for a bad block, a free-only default when
it is absent, and a launch that is idempotent and keeps a removed plan companies held."""

from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from wagtail.models import Site

from industries.launch import LaunchReport
from industries.launch import launch as launch_industry
from industries.loader import IndustryError, parse_industry
from portal.core.models import PortalHomePage
from portal.plans.models import PaymentTerms, Plan

from .conftest import company_of, subscribe

ROOT = Path(__file__).resolve().parents[2]
CHEMICALS = {
    "name": "ChemTrade",
    "hostname": "chemicals.example.org",
    "tagline": "Specialty and commodity chemicals",
    "palette": {"primary": "#2d2a6e", "accent": "#0f7c6c"},
    "units": [{"code": "t", "name": "tonne"}],
    "currencies": ["USD", "EUR"],
    "regions": [{"code": "europe", "name": "Europe"}],
    "sections": [{"kind": "directory"}, {"kind": "board"}],
    "taxonomy": [{"name": "Solvents", "children": [{"name": "Acetone"}]}],
}
FREE = {"key": "free", "name": "Free"}
PLANS = {
    "payment_instructions": "Bank transfer to IBAN XX00 0000.",
    "plans": [
        {"key": "free", "name": "Free", "quotas": {"live_listings": 5, "quotes_per_week": 7}},
        {"key": "silver", "name": "Silver", "price": 300, "quotas": {"quotes_per_week": 25}},
        {"key": "gold", "name": "Gold", "price": 900, "currency": "EUR"},
    ],
}


def steel_with(tmp_path: Path, membership) -> Path:
    data = yaml.safe_load((ROOT / "industries" / "steel.yaml").read_text())
    data.pop("slug", None)
    data["membership"] = membership
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    return path


@pytest.mark.parametrize("slug", ["steel", "textiles", "agrifood"])
def test_shipped_files_have_a_free_plan_and_two_paid_tiers(slug):
    plans = parse_industry(ROOT / "industries" / f"{slug}.yaml", settings.THEMES).membership.plans
    assert [plan.is_free for plan in plans] == [True, False, False]
    assert [plan.quotas.quotes_per_week for plan in plans] == [7, 25, 70]


@pytest.mark.parametrize(
    ("plans", "expected"),
    [
        ([{"key": "gold", "name": "Gold", "price": 9}], "exactly one plan must be free"),
        (
            [{"key": "a", "name": "A"}, {"key": "b", "name": "B"}],
            "exactly one plan must be free (price 0), the one companies fall back to; "
            "found 2: a, b",
        ),
        (
            [
                {"key": "free", "name": "Free"},
                {"key": "p", "name": "P", "price": 1, "currency": "GBP"},
            ],
            "membership: plan 'p' costs 'GBP', which is not one of the currencies",
        ),
        (
            [{"key": "free", "name": "Free"}, {"key": "free", "name": "Again"}],
            "'free' appears twice",
        ),
        (
            [{"key": "free", "name": "Free", "quotas": {"live_listings": -1}}],
            "membership.plans.0.quotas.live_listings: Input should be greater than or equal to 0",
        ),
        (
            [{"key": "free", "name": "Free", "quotas": {"stars": 3}}],
            "membership.plans.0.quotas.stars: Extra inputs are not permitted",
        ),
        ([], "membership.plans: List should have at least 1 item"),
    ],
)
def test_a_bad_membership_block_is_one_clear_line(tmp_path, plans, expected):
    path = steel_with(tmp_path, {"plans": plans})
    with pytest.raises(IndustryError) as error:
        parse_industry(path, settings.THEMES)
    assert expected in str(error.value)
    assert "\n" not in str(error.value)


def launch(industries_dir: Path, data: dict, demo: int = 0) -> LaunchReport:
    """Launch the chemicals portal from ``data``; its report."""
    path = industries_dir / "chemicals.yaml"
    path.write_text(yaml.safe_dump(data))
    if demo:
        call_command("launch_portal", "chemicals", demo=demo, verbosity=0)
    return launch_industry(parse_industry(path, settings.THEMES))


def plans_of_chemicals() -> dict[str, Plan]:
    site = Site.objects.get(root_page__portalhomepage__industry_slug="chemicals")
    return {plan.key: plan for plan in Plan.objects.filter(site=site)}


@pytest.mark.django_db
def test_a_file_without_plans_gets_one_unlimited_free_plan(industries_dir):
    launch(industries_dir, CHEMICALS)
    (plan,) = plans_of_chemicals().values()
    assert (plan.key, plan.is_free, plan.currency) == ("free", True, "USD")
    assert plan.live_listings is plan.quotes_per_week is plan.catalogue_size is None


@pytest.mark.django_db
def test_relaunch_changes_nothing(industries_dir):
    launch(industries_dir, {**CHEMICALS, "membership": PLANS})
    plans = plans_of_chemicals()
    assert [plans[key].price for key in ("free", "silver", "gold")] == [0, 300, 900]
    assert (plans["silver"].currency, plans["gold"].currency) == ("USD", "EUR")
    assert plans["free"].live_listings == 5 and plans["gold"].quotes_per_week is None
    terms = PaymentTerms.objects.get(site=plans["free"].site)
    assert terms.payment_instructions == "Bank transfer to IBAN XX00 0000."
    again = launch(industries_dir, {**CHEMICALS, "membership": PLANS})
    assert again.changes == [] and again.warnings == []
    assert {key: (p.name, p.price, p.position) for key, p in plans_of_chemicals().items()} == {
        key: (p.name, p.price, p.position) for key, p in plans.items()
    }


@pytest.mark.django_db
def test_a_removed_plan_companies_held_is_kept_but_not_offered(industries_dir):
    launch(industries_dir, {**CHEMICALS, "membership": PLANS}, demo=5)
    home = PortalHomePage.objects.get(industry_slug="chemicals")
    subscribe(company_of(home), plans_of_chemicals()["silver"])
    report = launch(industries_dir, {**CHEMICALS, "membership": {"plans": PLANS["plans"][:1]}})
    left = plans_of_chemicals()
    assert set(left) == {"free", "silver"}
    assert not left["silver"].offered and not left["silver"].is_free
    assert any("'Silver' is no longer in the industry file" in line for line in report.warnings)
    assert "removed membership plan 'Gold'" in report.changes
