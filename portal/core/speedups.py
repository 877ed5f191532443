"""Cheaper versions of library internals that every page pays for.

- **A column's identity.** Django compares and hashes query expressions by an ``identity`` it
  works out from the constructor's arguments with ``inspect.Signature.bind``. The compiler
  hashes every selected column of an ordered query (``SQLCompiler._order_by_pairs``), so a
  page loaded with the rows it shows (``select_related`` of a few tables: a hundred and more
  columns) spent about a fifth of its query time in ``inspect``. A ``Col``'s identity is its
  class, alias, target field and output field as passed; ``column_identity`` builds that same
  tuple directly (see Django ticket #34631).
- **A page's child relations.** Every page loaded from the database runs modelcluster's
  constructor, which lists the model's child relations from ``_meta.get_fields()`` each time
  (about a tenth of a section index's rendering, twenty pages a list). They are fixed once the
  models are loaded, so they are listed once per model.

- **A page's URL.** Wagtail reverses the ``wagtail_serve`` route each time a page's URL is
  asked for (every card of a list, every link of the menu): about a tenth of a section
  page's rendering. It reverses through ``portal.rendering.reverse``, which remembers the
  answers per process.

All are installed from ``CoreConfig.ready()``; tests compare them with the originals.
"""

from functools import cache

import modelcluster.models
import wagtail.models.pages
from django.db.models.expressions import Col, Expression
from django.utils.functional import cached_property

from portal import rendering

_bound_identity = Expression.__dict__["identity"].func
_child_relations = modelcluster.models.get_all_child_relations
_child_m2m_relations = modelcluster.models.get_all_child_m2m_relations


def column_identity(column: Col) -> tuple:
    """The tuple ``Expression.identity`` gives a ``Col``, without ``inspect``."""
    if type(column) is not Col:  # a subclass may take other arguments
        return _bound_identity(column)
    args, kwargs = column._constructor_args
    output_field = args[2] if len(args) > 2 else kwargs.get("output_field")
    return (
        Col,
        ("alias", Expression._identity(column.alias)),
        ("target", Expression._identity(column.target)),
        ("output_field", Expression._identity(output_field)),
    )


@cache
def _relations_of(options: object, m2m: bool) -> tuple:
    model = options.model
    return tuple(_child_m2m_relations(model) if m2m else _child_relations(model))


def child_relations(model: object) -> list:
    """modelcluster's ``get_all_child_relations``, listed once per model."""
    return list(_relations_of(model._meta, False))


def child_m2m_relations(model: object) -> list:
    """modelcluster's ``get_all_child_m2m_relations``, listed once per model."""
    return list(_relations_of(model._meta, True))


def install() -> None:
    """Put them in place (idempotent). Called once the models are loaded."""
    if "identity" not in Col.__dict__:
        identity = cached_property(column_identity)
        identity.__set_name__(Col, "identity")
        Col.identity = identity
    modelcluster.models.get_all_child_relations = child_relations
    modelcluster.models.get_all_child_m2m_relations = child_m2m_relations
    wagtail.models.pages.reverse = rendering.reverse
