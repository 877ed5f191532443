"""The production settings refuse unsafe values and are safe by default."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOOD_KEY = "k3Y-" + "p9Zt" * 13
SAFE = {
    "SECRET_KEY": GOOD_KEY,
    "ALLOWED_HOSTS": "steel.example.org",
    "WAGTAILADMIN_BASE_URL": "https://steel.example.org",
}
SHOW = (
    "import json, portal.settings.production as s; print(json.dumps({"
    "'hsts': s.SECURE_HSTS_SECONDS, 'proxy': s.SECURE_PROXY_SSL_HEADER}))"
)


def load(**env: str) -> subprocess.CompletedProcess:
    keep = {k: v for k, v in os.environ.items() if k not in {*SAFE, "TRUSTED_PROXIES"}}
    return subprocess.run(
        [sys.executable, "-c", SHOW],
        cwd=ROOT,
        env={**keep, **env},
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"SECRET_KEY": "change-me-in-production"}, "placeholder or too short"),
        ({"SECRET_KEY": "abc"}, "placeholder or too short"),
        ({"SECRET_KEY": "django-insecure-" + "x1" * 30}, "placeholder or too short"),
        ({"ALLOWED_HOSTS": "*"}, "not '*'"),
        ({"ALLOWED_HOSTS": "steel.example.org,*"}, "not '*'"),
    ],
)
def test_unsafe_values_stop_the_start_with_a_reason(changes, reason):
    result = load(**{**SAFE, **changes})
    assert result.returncode != 0
    assert reason in result.stderr


def test_safe_by_default():
    result = load(**SAFE)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["hsts"] >= 31536000
    assert values["proxy"] is None  # no proxy configured: X-Forwarded-Proto is not believed
    behind_proxy = json.loads(load(**SAFE, TRUSTED_PROXIES="1").stdout)
    assert behind_proxy["proxy"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_the_deployment_checklist_is_clean():
    keep = {k: v for k, v in os.environ.items() if k not in {*SAFE, "TRUSTED_PROXIES"}}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**keep, **SAFE, "DJANGO_SETTINGS_MODULE": "portal.settings.production"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
