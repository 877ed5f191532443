"""The cheaper library internals give exactly what the originals give."""

import pytest
from django.apps import apps
from django.db.models.expressions import Col

from portal.board.models import SellOfferPage
from portal.core import speedups


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
