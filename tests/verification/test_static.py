"""In the static copy the badge lapses at the first build after its date: the company's page
and the verified list are built again without anyone touching the company."""

from datetime import timedelta

import pytest
from django.utils.html import escape

from portal.directory import dates

from ..conftest import today
from ..support import build_static
from .conftest import record, unrecorded

pytestmark = [pytest.mark.django_db, pytest.mark.slow, pytest.mark.export]


def built(out, page) -> str:
    return (out / "steel.localhost" / page.url_path.split("/", 2)[2] / "index.html").read_text()


def test_a_badge_lapses_in_the_static_copy_at_the_next_build(steel, tmp_path, monkeypatch):
    company = unrecorded(steel)
    record(company, until=today())
    directory = company.get_parent()
    out = tmp_path / "static"
    build_static(out)
    assert "Verified supplier" in built(out, company)
    verified = out / "steel.localhost" / directory.slug / "verified" / "index.html"
    assert escape(company.title) in verified.read_text()

    monkeypatch.setattr(dates, "today", lambda: today() + timedelta(days=1))
    build_static(out)
    text = built(out, company)
    assert "Verified supplier" not in text and "Verification lapsed" in text
    assert escape(company.title) not in verified.read_text()
