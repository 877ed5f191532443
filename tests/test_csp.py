"""The Content-Security-Policy: no inline script anywhere public, the palette by nonce."""

import re

import pytest
from bs4 import BeautifulSoup

from portal.board.models import TradeListingPage
from portal.directory.models import CompanyPage

from .conftest import host

# Script types a browser runs; others (JSON data blocks, templates) are inert.
RUNNABLE = {"", "text/javascript", "module", "application/javascript"}


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


def public_paths(home) -> list[str]:
    listing = TradeListingPage.objects.live().descendant_of(home).first()
    company = CompanyPage.objects.live().descendant_of(home).first()
    return [
        "/",
        "/board/",
        "/news/",
        "/directory/",
        listing.url,
        company.url,
        "/search/?q=steel",
        "/accounts/login/",
        "/accounts/signup/",
        "/no-such-page/",
    ]


@pytest.mark.django_db
def test_public_pages_run_no_inline_script_and_style_only_by_nonce(client, steel):
    for path in public_paths(steel):
        response = client.get(path, HTTP_HOST=host("steel"))
        assert response.status_code in (200, 404), path
        policy = directives(response)
        assert policy["script-src"] == ["'self'"], path
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'self'"]
        soup = BeautifulSoup(response.content, "html.parser")
        inline = [
            s for s in soup.find_all("script") if not s.get("src") and s.get("type", "") in RUNNABLE
        ]
        assert not inline, (path, inline)
        handlers = [
            (tag.name, attr)
            for tag in soup.find_all(True)
            for attr in tag.attrs
            if attr.startswith("on") or attr == "style"
        ]
        assert not handlers, (path, handlers)
        nonces = {f"'nonce-{style['nonce']}'" for style in soup.find_all("style")}
        assert all(style.get("nonce") for style in soup.find_all("style")), path
        assert nonces <= set(policy["style-src"]), path


@pytest.mark.django_db
def test_the_hub_colours_its_tiles_without_style_attributes(client, steel):
    response = client.get("/", HTTP_HOST="unknown.example")
    html = response.content.decode()
    assert 'class="page-hub"' in html
    assert re.search(r"\.portal-tile--\d+\{--tile-colour:#[0-9a-fA-F]{6}", html)
    assert "style=" not in html


def test_each_response_gets_a_nonce_of_its_own(client, steel):
    first, second = (client.get("/", HTTP_HOST=host("steel")) for _ in range(2))
    assert directives(first)["style-src"] != directives(second)["style-src"]


def test_the_admin_may_run_wagtails_inline_code_but_nothing_from_elsewhere(admin_client):
    policy = directives(admin_client.get("/admin/"))
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert not any(value.startswith("'nonce-") for value in policy["style-src"])
    assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
