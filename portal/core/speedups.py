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

- **A row made into a model instance.** ``Model.from_db`` calls the model's constructor,
  which sends the ``pre_init`` and ``post_init`` signals and sets each field through
  ``setattr``. modelcluster's constructor also looks up the model's child relations each
  time. A list of a hundred listings makes three hundred instances (the listing, its
  category, its region), and a bulk build makes tens of thousands: this was about a fifth
  of the rendering time of a board's list pages. ``from_db`` fills the instance's fields
  directly when nothing is listening to those signals, every field was read, and the
  model's constructors do nothing more for a row read from the database than Django's
  (``LOADED_AS_DJANGO_DOES``). Fields whose attribute does something when set (a
  StreamField, a file) are still set through it. Any other model is made as before.

All are installed from ``CoreConfig.ready()``; tests compare them with the originals.
"""

from functools import cache
from typing import Any

import modelcluster.models
import wagtail.models.pages
from django.db.models import Model
from django.db.models.base import ModelState
from django.db.models.expressions import Col, Expression
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.signals import post_init, pre_init
from django.utils.functional import cached_property

from portal import rendering

_bound_identity = Expression.__dict__["identity"].func
_child_relations = modelcluster.models.get_all_child_relations
_child_m2m_relations = modelcluster.models.get_all_child_m2m_relations
_django_from_db = Model.__dict__["from_db"].__func__

# Constructors that, given a row read from the database (every field, as positional
# arguments, with its primary key), do no more than ``Model.__init__``: the pages' act only
# on a new page (no id yet), modelcluster's only on child relations passed as keywords.
LOADED_AS_DJANGO_DOES = (
    Model.__init__,
    modelcluster.models.ClusterableModel.__init__,
    wagtail.models.pages.AbstractPage.__init__,
    wagtail.models.pages.ShowInMenusMixin.__init__,
)


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


def _attribute(model: type, name: str) -> Any:
    for klass in model.__mro__:
        if name in klass.__dict__:
            return klass.__dict__[name]
    return None


@cache
def _loading_plan(model: type[Model]) -> tuple[tuple[str, ...], frozenset[str]] | None:
    """The attribute names of ``model``'s concrete fields, in their order, and those to set
    through their attribute; None when its constructors do more than Django's."""
    for klass in model.__mro__:
        init = klass.__dict__.get("__init__")
        if init is not None and klass is not object and init not in LOADED_AS_DJANGO_DOES:
            return None
    names = tuple(field.attname for field in model._meta.concrete_fields)
    setters = frozenset(
        name
        for name in names
        if hasattr(type(attribute := _attribute(model, name)), "__set__")
        # A foreign key's id only forgets a cached related object: a new instance has none.
        and not isinstance(attribute, ForeignKeyDeferredAttribute)
    )
    return names, setters


def from_db(cls: type[Model], db: str, field_names: Any, values: Any) -> Model:
    """``Model.from_db`` without the constructor, where that gives the same instance."""
    plan = _loading_plan(cls)
    if (
        plan is None
        or len(values) != len(plan[0])
        or pre_init.has_listeners(cls)
        or post_init.has_listeners(cls)
    ):
        return _django_from_db(cls, db, field_names, values)
    names, setters = plan
    new = cls.__new__(cls)
    state = ModelState()
    state.adding, state.db = False, db
    fields = new.__dict__
    fields["_state"] = state
    if setters:
        for name, value in zip(names, values, strict=True):
            if name in setters:
                setattr(new, name, value)
            else:
                fields[name] = value
    else:
        fields.update(zip(names, values, strict=True))
    return new


def install() -> None:
    """Put them in place (idempotent). Called once the models are loaded."""
    if "identity" not in Col.__dict__:
        identity = cached_property(column_identity)
        identity.__set_name__(Col, "identity")
        Col.identity = identity
    modelcluster.models.get_all_child_relations = child_relations
    modelcluster.models.get_all_child_m2m_relations = child_m2m_relations
    wagtail.models.pages.reverse = rendering.reverse
    Model.from_db = classmethod(from_db)
