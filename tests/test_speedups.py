"""The cheaper library internals give exactly what the originals give."""

from datetime import date

import pytest
import wagtail.models.pages
from django.apps import apps
from django.db.models import Model
from django.db.models.expressions import Col
from django.db.models.signals import post_init
from django.urls import NoReverseMatch, set_script_prefix
from django.urls import reverse as django_reverse
from django.utils import dateformat, translation
from wagtail.blocks import StreamValue
from wagtail.images import get_image_model
from wagtail.images.jinja2tags import image as wagtail_image
from wagtail.images.rect import Rect

from portal import rendering
from portal.board.models import SellOfferPage
from portal.core import speedups
from portal.core.models import Category
from portal.news.models import NewsArticlePage
from themes import environment
from themes.environment import format_date


def test_a_column_identity_is_the_one_django_works_out():
    query = (
        SellOfferPage.objects.select_related("category__parent", "region", "company")
        .order_by("-first_published_at")
        .query
    )
    compiler = query.get_compiler("default")
    compiler.setup_query()
    columns = [expression for expression, _, _ in compiler.select if type(expression) is Col]
    assert len(columns) > 100
    for column in columns:
        assert column.identity == speedups._bound_identity(column)
    # Two columns differ when their alias or their field does.
    assert len({column.identity for column in columns}) == len(columns)


def test_a_column_made_with_its_output_field_is_told_apart_as_django_does():
    field = SellOfferPage._meta.get_field("moq")
    plain, explicit = Col("t", field), Col("t", field, field)
    assert (plain == explicit) == (
        speedups._bound_identity(plain) == speedups._bound_identity(explicit)
    )


@pytest.mark.parametrize("m2m", [False, True], ids=["child relations", "child m2m"])
def test_child_relations_are_modelclusters_for_every_model(m2m):
    original = speedups._child_m2m_relations if m2m else speedups._child_relations
    kept = speedups.child_m2m_relations if m2m else speedups.child_relations
    for model in apps.get_models():
        assert kept(model) == original(model), model
        assert kept(model) is not kept(model)  # callers may change the list they get


@pytest.mark.parametrize(
    ("name", "args", "kwargs"),
    [
        ("wagtail_serve", ("board/",), None),
        ("wagtail_serve", ("",), None),
        ("feed_atom_page", ("board", "page-2"), None),
        ("wagtailadmin_pages:edit", (7,), None),
        ("search:search", (), None),
    ],
)
def test_links_are_reversed_as_django_reverses_them(name, args, kwargs):
    expected = django_reverse(name, args=args or None, kwargs=kwargs)
    assert rendering.reverse(name, args=args, kwargs=kwargs) == expected
    assert rendering.reverse(name, args=args, kwargs=kwargs) == expected  # remembered


def test_a_remembered_link_follows_the_script_prefix():
    assert rendering.reverse("wagtail_serve", args=("board/",)) == "/board/"
    set_script_prefix("/portal/")
    try:
        assert rendering.reverse("wagtail_serve", args=("board/",)) == "/portal/board/"
    finally:
        set_script_prefix("/")
    assert rendering.reverse("wagtail_serve", args=("board/",)) == "/board/"


def test_a_link_that_cannot_be_reversed_still_fails():
    with pytest.raises(NoReverseMatch):
        rendering.reverse("wagtail_serve", args=("not a path",))
    with pytest.raises(NoReverseMatch):
        rendering.reverse("no-such-view")


@pytest.mark.django_db
def test_a_page_url_is_wagtails(steel):
    board = steel.get_children().get(slug="board")
    assert wagtail.models.pages.reverse is rendering.reverse
    assert board.get_url_parts()[2] == django_reverse("wagtail_serve", args=("board/",))
    assert board.url.endswith("/board/")


@pytest.mark.parametrize("language", ["en-us", "de"])
def test_a_day_is_formatted_as_django_formats_it_in_the_active_language(language):
    day = date(2026, 3, 9)
    with translation.override(language):
        for fmt in ("j M Y", "F j, Y", "D j N"):
            assert format_date(day, fmt) == dateformat.format(day, fmt)


def test_remembered_links_follow_the_language_where_the_urls_do(settings):
    settings.ROOT_URLCONF = "tests.translated_urls"
    for language in ("en", "de", "en"):
        with translation.override(language):
            assert rendering.reverse("about") == f"/{language}/about/"


@pytest.mark.django_db
def test_an_image_is_shown_as_wagtail_shows_it_and_follows_its_focal_point():
    picture = get_image_model().objects.order_by("pk").first()
    shown = environment.image(picture, "fill-96x96", alt="", **{"class": "logo"})
    assert shown == wagtail_image(picture, "fill-96x96", alt="", **{"class": "logo"})
    first = environment.image(picture, "fill-96x96")
    assert environment.image(picture, "fill-96x96") is first  # remembered
    picture.set_focal_point(Rect(0, 0, 10, 10))
    picture.save()
    moved = environment.image(picture, "fill-96x96")
    assert moved.pk != first.pk and moved.focal_point_key != first.focal_point_key
    assert environment.image(None, "fill-96x96") == ""


def _as_loaded(instance) -> dict:
    """What a loaded instance holds: each field's value as stored, and where it came from."""
    values = {
        field.attname: field.value_to_string(instance) for field in type(instance)._meta.fields
    }
    return {**values, "db": instance._state.db, "adding": instance._state.adding}


@pytest.mark.django_db
def test_rows_are_made_into_the_instances_django_makes(steel, monkeypatch):
    """Every model with rows (pages with StreamFields, images with signals, settings), with
    their related rows, and a row read with some fields deferred."""
    queries = [
        model._default_manager.order_by("pk")[:5]
        for model in apps.get_models()
        if model._default_manager.exists()
    ]
    queries += [
        SellOfferPage.objects.select_related("category__parent", "region", "company")[:5],
        SellOfferPage.objects.defer("specification")[:5],
    ]
    fast = [[_as_loaded(row) for row in query.all()] for query in queries]
    planned = {model for model in apps.get_models() if speedups._loading_plan(model)}
    monkeypatch.setattr(Model, "from_db", classmethod(speedups._django_from_db))
    assert [[_as_loaded(row) for row in query.all()] for query in queries] == fast
    assert sum(map(len, fast)) > 100
    # Pages and plain rows take the quick way; images, whose constructor does more, do not.
    assert SellOfferPage in planned and Category in planned
    assert get_image_model() not in planned and get_image_model().objects.exists()


@pytest.mark.django_db
def test_a_receiver_of_the_instance_signals_still_hears_of_every_loaded_row(steel):
    heard = []

    def receiver(sender, instance, **kwargs):
        heard.append(instance.pk)

    post_init.connect(receiver, sender=Category)
    try:
        loaded = [category.pk for category in Category.objects.all()]
    finally:
        post_init.disconnect(receiver, sender=Category)
    assert heard == loaded and loaded


@pytest.mark.django_db
def test_a_loaded_page_can_be_shown_edited_and_saved(steel):
    article = NewsArticlePage.objects.live().descendant_of(steel).exclude(body=[]).first()
    assert isinstance(article.body, StreamValue) and len(article.body) > 0
    assert str(article.body[0].render()) == str(
        NewsArticlePage.objects.get(pk=article.pk).body[0].render()
    )
    offer = SellOfferPage.objects.select_related("category").first()
    assert type(offer) is SellOfferPage and not offer._state.adding
    assert offer.category == Category.objects.get(pk=offer.category_id)
    offer.category_id = Category.objects.exclude(pk=offer.category_id).first().pk
    assert offer.category.pk == offer.category_id  # the cached category is forgotten
    offer.title = "Renamed"
    offer.save_revision().publish()
    assert SellOfferPage.objects.get(pk=offer.pk).title == "Renamed"
