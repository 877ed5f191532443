"""Every API request is rate limited, per address and per token, with a JSON 429."""

import pytest

pytestmark = pytest.mark.django_db


def test_too_many_requests_from_one_address(steel_api, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": "3/m"}
    codes = [steel_api.get("/companies/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = steel_api.get("/companies/")
    assert limited["Content-Type"].startswith("application/json")
    assert "try again" in limited.json()["detail"]
    assert 0 < int(limited["Retry-After"]) <= 60


def test_a_token_is_limited_wherever_it_comes_from(api, supplier, token_of, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": "2/m"}
    member = api("steel", token_of(supplier))
    assert member.get("/me/listings/", REMOTE_ADDR="10.0.0.1").status_code == 200
    assert member.get("/me/listings/", REMOTE_ADDR="10.0.0.2").status_code == 200
    assert member.get("/me/listings/", REMOTE_ADDR="10.0.0.3").status_code == 429


def test_refused_requests_count_too(steel_api, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": "2/m"}
    codes = [steel_api.get("/companies/", {"colour": "red"}).status_code for _ in range(3)]
    assert codes == [400, 400, 429]
