"""What a process keeps instead of rendering again: form widgets, and cards during a build."""

import re

import pytest
from django.forms.renderers import DjangoTemplates
from django.test import RequestFactory
from django.utils.translation import override

from portal.board.forms import InquiryForm
from portal.board.models import SellOfferPage
from portal.core import form_renderer
from portal.rendering import STATIC_EXPORT_ATTR, ExportMemo

from .conftest import host

# What differs between two forms made a moment apart: their start token.
TOKEN = re.compile(r'name="started" value="[^"]*"')


def shown(form) -> str:
    return TOKEN.sub("", str(form))


@pytest.fixture(autouse=True)
def nothing_kept():
    form_renderer.forget()
    yield
    form_renderer.forget()


def test_a_kept_widget_is_the_html_django_renders():
    django_made = shown(InquiryForm(renderer=DjangoTemplates()))
    assert shown(InquiryForm()) == django_made
    assert shown(InquiryForm()) == django_made  # now from what was kept
    assert form_renderer._kept


def test_a_visitors_input_is_shown_as_typed_not_as_a_kept_widget():
    str(InquiryForm())
    typed = InquiryForm(data={"name": "Ada <Lovelace>", "message": "Ten tonnes"})
    html = str(typed)
    assert 'value="Ada &lt;Lovelace&gt;"' in html
    assert "Ten tonnes" in html
    assert 'value="Ada' not in str(InquiryForm())


def test_widgets_are_kept_per_language():
    with override("en"):
        english = shown(InquiryForm())
    with override("de"):
        str(InquiryForm())
    keys = {key[1] for key in form_renderer._kept}
    assert {"en", "de"} <= keys
    assert shown(InquiryForm()) == english


def test_what_is_kept_stays_within_its_size(monkeypatch):
    monkeypatch.setattr(form_renderer, "KEPT_CHARACTERS", 2_000)
    for n in range(40):  # forty visitors typing forty names
        str(InquiryForm(data={"name": f"visitor {n}" * 20}))
        assert form_renderer._kept_size <= 2_000


def render_card(listing, request) -> str:
    from django.template import engines

    engine = next(e for e in engines.all() if getattr(e, "env", None) is not None)
    template = engine.env.from_string(
        '{% from "includes/cards.html" import card %}{{ kept_for_build(card, item) }}'
    )
    return template.render({"item": listing, "request": request})


def test_a_build_renders_each_card_once_and_the_live_site_every_time(steel):
    listing = SellOfferPage.objects.live().descendant_of(steel).first()
    live = RequestFactory().get("/", HTTP_HOST=host("steel"))
    built = RequestFactory().get("/", HTTP_HOST=host("steel"))
    setattr(built, STATIC_EXPORT_ATTR, ExportMemo())
    first = render_card(listing, built)
    assert listing.title in first

    listing.title = "Renamed while nothing is saved"
    assert render_card(listing, built) == first  # the build shows the card it made
    assert "Renamed while nothing is saved" in render_card(listing, live)
