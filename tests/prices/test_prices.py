"""Price series on a portal: launched from the industry file, assessed from the board, shown
live and in the static copy, with downloads, input logs and cautions."""

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from datetime import date, time, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from industries.loader import IndustryError, parse_industry
from portal.board.models import BoardIndexPage, SellOfferPage
from portal.core.models import Category, PortalSettings, Region
from portal.directory.models import CompanyPage
from portal.prices.assess import assess_portal
from portal.prices.models import (
    ConversionRate,
    PriceAssessment,
    PriceIndexPage,
    PricePoint,
    PriceSeriesPage,
)

from ..conftest import host
from ..support import build_static

SPEC = "TEST GRADE 77"


def get(client, home, path: str):
    return client.get(path, HTTP_HOST=host(home.industry_slug))


def prices_of(home) -> PriceIndexPage:
    return PriceIndexPage.objects.child_of(home).get()


@pytest.fixture
def series(steel, site_of) -> PriceSeriesPage:
    """A weekly series only the test's own offers feed (its specification is theirs alone)."""
    index = prices_of(steel)
    category = Category.objects.for_site(site_of(steel)).get(slug="rails")
    page = PriceSeriesPage(
        title="Rails, test grade",
        slug="rails-test",
        key="rails-test",
        category=category,
        specification=SPEC,
        unit="t",
        currency="USD",
        frequency="weekly",
        cutoff_weekday=timezone.now().weekday(),
        cutoff_time=time(0, 1),
        method={
            "min_inputs": 5,
            "min_companies": 4,
            "company_cap": 0.3,
            "outliers": 1.96,
            "too_little": "carry",
        },
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


def offer(home, price, company, currency="USD", unit="t", days_ago=3, category_slug="rails"):
    board = BoardIndexPage.objects.child_of(home).get()
    site = home.get_site()
    page = SellOfferPage(
        title=f"Rails {SPEC} at {price}",
        description="Mill stock.",
        category=Category.objects.for_site(site).get(slug=category_slug),
        quantity=Decimal(100),
        unit=unit,
        price_min=Decimal(price),
        currency=currency,
        incoterm="FOB",
        region=Region.objects.filter(site=site).first(),
        company=company,
        specification=SPEC,
        valid_until=date.today() + timedelta(days=30),
    )
    board.add_child(instance=page)
    page.save_revision().publish()
    published = timezone.now() - timedelta(days=days_ago)
    SellOfferPage.objects.filter(pk=page.pk).update(first_published_at=published)
    return page


def companies(home, count: int) -> list[CompanyPage]:
    return list(CompanyPage.objects.live().descendant_of(home).order_by("pk")[:count])


def latest_point(series) -> PricePoint:
    return series.points.order_by("-period_end").first()


def test_launch_makes_a_page_per_series_of_the_file(client, steel):
    index = prices_of(steel)
    slugs = list(PriceSeriesPage.objects.child_of(index).values_list("slug", flat=True))
    assert slugs == ["hrc-fob-east-asia", "rebar-cfr", "heavy-plate-exw-west-europe", "hrc-daily"]
    page = get(client, steel, "/prices/methodology/").content.decode()
    assert "Heavy Plate, EXW Western Europe" in page
    assert "5 inputs from 4 companies" in page
    assert "30 % of a point per company" in page
    assert "±1.96 standard deviations" in page


def test_a_series_naming_an_unknown_category_is_refused_in_one_line(tmp_path):
    text = (
        Path("industries/steel.yaml")
        .read_text()
        .replace("category: rebar\n", "category: unobtainium\n", 1)
    )
    (tmp_path / "steel.yaml").write_text(text)
    with pytest.raises(IndustryError, match="'unobtainium' is not a category of the taxonomy"):
        parse_industry(tmp_path / "steel.yaml")


def test_a_point_from_known_offers_is_published_and_a_rerun_changes_nothing(steel, series):
    for number, (price, company) in enumerate(
        zip((100, 110, 120, 130, 140), companies(steel, 5), strict=True)
    ):
        offer(steel, price, company, days_ago=2 + number % 2)
    first = assess_portal(prices_of(steel))
    point = latest_point(series)
    assert (point.status, point.value, point.inputs, point.companies) == (
        "assessed",
        Decimal("120.00"),
        5,
        5,
    )
    assert (point.low, point.high) == (Decimal(100), Decimal(140))
    assert first.created >= 1
    again = assess_portal(prices_of(steel))
    assert (again.created, again.corrected, again.updated) == (0, 0, 0)


def test_prices_in_other_units_and_currencies_are_converted(steel, series):
    index = prices_of(steel)
    index.conversion_rates.all().delete()  # only the test's own rates
    ConversionRate.objects.create(
        section=index,
        kind="currency",
        source="EUR",
        target="USD",
        rate=Decimal("1.25"),
        valid_from=date(2000, 1, 1),
    )
    ConversionRate.objects.create(
        section=index,
        kind="unit",
        source="t",
        target="kg",
        rate=Decimal(1000),
        valid_from=date(2000, 1, 1),
    )
    firms = companies(steel, 5)
    offer(steel, 100, firms[0], currency="EUR")  # 125 USD/t
    offer(steel, "0.13", firms[1], unit="kg")  # 130 USD/t
    for price, firm in zip((120, 125, 130), firms[2:], strict=True):
        offer(steel, price, firm)
    assess_portal(index)
    point = latest_point(series)
    assert (point.value, point.inputs) == (Decimal("126.00"), 5)


def test_an_offer_without_a_rate_is_left_out_and_the_log_says_why(client, steel, series):
    firms = companies(steel, 6)
    for firm in firms[:5]:
        offer(steel, 200, firm)
    prices_of(steel).conversion_rates.filter(source="TRY").delete()
    offer(steel, 150, firms[5], currency="TRY")
    assess_portal(prices_of(steel))
    point = latest_point(series)
    assert point.inputs == 5
    assert any(entry["status"].startswith("left out: no rate from TRY/t") for entry in point.log)


def test_a_correction_keeps_the_earlier_value_and_the_page_marks_it(client, steel, series):
    firms = companies(steel, 5)
    offers = [
        offer(steel, price, firm)
        for price, firm in zip((100, 110, 120, 130, 140), firms, strict=True)
    ]
    assess_portal(prices_of(steel))
    point = latest_point(series)
    assert point.value == Decimal("120.00")
    SellOfferPage.objects.filter(pk=offers[-1].pk).update(price_min=Decimal(190))
    summary = assess_portal(prices_of(steel))
    point.refresh_from_db()
    assert summary.corrected == 1
    assert point.value == Decimal("130.00")
    assert [c["value"] for c in point.corrections] == [120.0]
    page = get(client, steel, series.url).content.decode()
    assert "corrected (was 120)" in page
    rows = list(
        csv.DictReader(
            io.StringIO(get(client, steel, "/prices/data/rails-test.csv").content.decode())
        )
    )
    assert rows[-1]["corrected"] == "True" and rows[-1]["previous_values"] == "120.0"


def test_too_few_inputs_carry_the_last_value_forward(steel, series):
    firms = companies(steel, 5)
    for firm in firms:
        offer(steel, 100, firm, days_ago=9)
    for listing in SellOfferPage.objects.filter(specification=SPEC):
        SellOfferPage.objects.filter(pk=listing.pk).update(
            valid_until=date.today() - timedelta(days=2)
        )
    assess_portal(prices_of(steel))
    points = list(series.points.order_by("period_end"))
    assert points[-2].status == "assessed"
    assert (points[-1].status, points[-1].value) == ("carried", points[-2].value)
    assert "the method needs 5 from 4" in points[-1].reason


def test_an_editors_assessment_is_the_lowest_rank(steel, series):
    for price, firm in zip((90, 100, 110, 100), companies(steel, 4), strict=True):
        offer(steel, price, firm)
    PriceAssessment.objects.create(
        series=series,
        day=date.today() + timedelta(days=1),
        low=Decimal(120),
        high=Decimal(140),
        note="Survey of five mills",
    )
    assess_portal(prices_of(steel), now=timezone.now() + timedelta(days=7))
    point = series.points.order_by("period_end").last()
    assert point.ranks == "3,4"
    assert point.value == Decimal("106.00")  # four offers and the assessment's middle, 130


def test_editors_bad_input_gets_a_clear_error(steel, series):
    bad = PriceAssessment(
        series=series, day=date.today(), low=Decimal(200), high=Decimal(100), note="x"
    )
    with pytest.raises(ValidationError, match="must not be below the low"):
        bad.full_clean()
    unknown = PriceAssessment(
        series=series, day=date.today(), low=Decimal(1), high=Decimal(2), currency="XYZ", note="x"
    )
    with pytest.raises(ValidationError, match="'XYZ' is not one of the portal's currency codes"):
        unknown.full_clean()
    rate = ConversionRate(
        section=prices_of(steel), kind="unit", source="barrel", target="t", rate=Decimal(1)
    )
    with pytest.raises(ValidationError, match="'barrel' is not one of the portal's unit codes"):
        rate.full_clean()
    zero = ConversionRate(
        section=prices_of(steel), kind="currency", source="EUR", target="USD", rate=Decimal(0)
    )
    with pytest.raises(ValidationError, match="above zero"):
        zero.full_clean()


def test_the_series_page_has_a_chart_a_table_downloads_and_a_dataset(client, steel, series):
    for firm in companies(steel, 5):
        offer(steel, 300, firm)
    assess_portal(prices_of(steel))
    html = get(client, steel, series.url).content.decode()
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    chart = ET.fromstring(svg)
    assert chart.get("role") == "img" and chart.get("aria-labelledby")
    assert "Rails, test grade (USD/t)" in svg
    assert "<table>" in html and "300 </td>" not in html
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    )
    assert data["@type"] == "Dataset"
    assert {d["encodingFormat"] for d in data["distribution"]} == {"text/csv", "application/json"}
    downloaded = json.loads(get(client, steel, "/prices/data/rails-test.json").content)
    assert downloaded["points"][-1]["value"] == 300.0
    assert downloaded["method"]["company_cap"] == 0.3


def test_the_input_log_is_anonymised(client, steel, series):
    firms = companies(steel, 5)
    for firm in firms:
        offer(steel, 100, firm)
    assess_portal(prices_of(steel))
    point = latest_point(series)
    html = get(
        client, steel, f"{series.url}inputs/{point.period_end.isoformat()}/"
    ).content.decode()
    assert "offer or request" in html
    for firm in firms:
        assert firm.title not in html
    assert "/market/" not in html and "/board/" not in html.split("<main", 1)[-1]
    assert get(client, steel, f"{series.url}inputs/2026-02-30/").status_code == 404
    assert get(client, steel, f"{series.url}inputs/not-a-day/").status_code == 404
    assert get(client, steel, "/prices/data/no-such-series.csv").status_code == 404


def test_an_offer_far_under_its_series_shows_buyers_a_caution(client, steel, series):
    firms = companies(steel, 6)
    for firm in firms[:5]:
        offer(steel, 1000, firm)
    assess_portal(prices_of(steel))
    cheap = offer(steel, 400, firms[5])
    fair = offer(steel, 950, firms[5])
    assert "Check before you pay" in get(client, steel, cheap.url).content.decode()
    assert "Check before you pay" not in get(client, steel, fair.url).content.decode()


def test_the_prices_table_and_the_home_page_show_latest_values(client, steel, series):
    for firm in companies(steel, 5):
        offer(steel, 250, firm)
    assess_portal(prices_of(steel))
    table = get(client, steel, "/prices/").content.decode()
    assert "Rails, test grade" in table and "250 " in table
    home = get(client, steel, "/").content.decode()
    assert "Market prices" in home and "Rails, test grade" in home


def test_assess_prices_names_unknown_portals_in_one_line(steel):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no portal nowhere"):
        call_command("assess_prices", "nowhere", verbosity=0)


@pytest.mark.export
def test_the_static_copy_has_series_pages_downloads_logs_and_methodology(tmp_path, steel, series):
    for firm in companies(steel, 5):
        offer(steel, 500, firm)
    assess_portal(prices_of(steel))
    build_static(tmp_path)
    root = tmp_path / "steel.localhost"
    point = latest_point(series)
    assert "<svg" in (root / "prices/rails-test/index.html").read_text()
    assert "500" in (root / "prices/data/rails-test.csv").read_text()
    assert json.loads((root / "prices/data/rails-test.json").read_text())["points"]
    assert (root / f"prices/rails-test/inputs/{point.period_end.isoformat()}/index.html").exists()
    assert "Minimum sample" in (root / "prices/methodology/index.html").read_text()


def test_another_portals_editor_cannot_edit_a_series(
    client, steel, textiles, series, django_user_model
):
    from django.contrib.auth.models import Group

    settings = PortalSettings.for_site(textiles.get_site())
    editor = django_user_model.objects.create_user("tex-editor", "t@example.com", "pw-123-abc-XYZ")
    editor.groups.add(
        settings.moderators_group
        or Group.objects.get(name__endswith="moderators", name__icontains="Textile")
    )
    client.force_login(editor)
    response = client.get(f"/admin/pages/{series.pk}/edit/", HTTP_HOST=host("steel"))
    assert response.status_code in (302, 403)
    own = PriceSeriesPage.objects.child_of(prices_of(textiles)).first()
    assert client.get(f"/admin/pages/{own.pk}/edit/", HTTP_HOST=host("textiles")).status_code == 200
